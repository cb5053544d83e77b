namespace NvmeLm.Hardware.Journal;

/// <summary>
/// A host write the agent announced and has not yet confirmed. It is written before the write and cleared
/// after it, so after a crash the journal says exactly which write may or may not have happened; the next
/// run re-reads the hardware to find out (steps are idempotent) instead of trusting either outcome.
/// </summary>
public sealed record JournalIntent(string Step, string Action, DateTimeOffset StartedAt);

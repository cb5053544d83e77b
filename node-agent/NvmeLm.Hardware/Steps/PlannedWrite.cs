using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// One host write of a step's plan and its journal updates: <see cref="OnIntent"/> before the write (capture original
/// values there), <see cref="OnDone"/> once it succeeded (<see cref="StepContext.ExecuteAll"/>).
/// </summary>
public sealed record PlannedWrite(
    HostAction Action,
    Func<PfJournalRecord, PfJournalRecord>? OnIntent = null,
    Func<PfJournalRecord, PfJournalRecord>? OnDone = null);

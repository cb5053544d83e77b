using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Migrations;

/// <summary>The operator's one clock for a migration: now, the transaction deadline, and how long to wait on an agent.</summary>
internal sealed class MigrationClock(MigrationContext context)
{
    /// <summary>Now, with the microsecond precision status timestamps keep (Kubernetes MicroTime).</summary>
    public DateTime Now => MicroTime.Now(context.Time);

    /// <summary>The whole-transaction deadline: <c>startTime + timeoutSeconds</c>.</summary>
    public static DateTime? Deadline(V1Alpha1NvmeMigration migration) =>
        migration.Status?.StartTime is { } start
            ? DateTime.SpecifyKind(start, DateTimeKind.Utc).AddSeconds(migration.Spec.TimeoutSeconds)
            : null;

    public bool IsPast(DateTime? deadline) => deadline is { } d && Now >= d;

    /// <summary>How long to wait on an agent: the poll interval, but never past the deadline.</summary>
    public StepOutcome.Wait WaitForAgent(V1Alpha1NvmeMigration migration, DateTime? deadline = null)
    {
        var after = context.Options.PollInterval;
        deadline ??= Deadline(migration);
        if (deadline is { } d)
        {
            var left = d - Now;
            after = left < after ? (left < TimeSpan.Zero ? TimeSpan.Zero : left + TimeSpan.FromMilliseconds(50)) : after;
        }

        return new StepOutcome.Wait(after);
    }
}

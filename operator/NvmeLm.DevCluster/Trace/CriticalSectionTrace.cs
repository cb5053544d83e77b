using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.DevCluster.Trace;

/// <summary>
/// Where the time of one committed migration's critical section goes (DESIGN §4.1), from the instants its status
/// carries: the operator's Suspend request (<c>steps[Suspend].requestedAt</c>), each agent's seen / started / finished /
/// reported times of the four hardware steps, and the operator's <c>downtime.observedAt</c>. The hops telescope: the
/// downtime hops add up exactly to <c>downtime.resumedAt − downtime.suspendedAt</c>, and all hops to observedAt −
/// requestedAt. A hop inside one agent uses that agent's clock only; the three hops between machines (request → source,
/// source → destination, destination → operator) subtract two clocks and carry their offset (none in the simulated
/// cluster, NTP's in a real one: there they can even look negative, and the downtime is off by the same offset).
/// </summary>
public sealed record CriticalSectionTrace(string Migration, IReadOnlyList<TraceHop> Hops, double DowntimeMs, double TotalMs)
{
    /// <summary>The hop names, in order; the ones inside the device downtime are marked by <see cref="TraceHop.InDowntime"/>.</summary>
    public static readonly IReadOnlyList<string> HopNames =
    [
        "request → source agent", "source queue", "Suspend", "SaveState + Secret write", "source status write",
        "source → destination agent", "destination queue", "RestoreState (Secret read)", "Resume", "destination status write",
        "destination → operator",
    ];

    /// <summary>
    /// The trace of a migration that resumed on its destination, or null with the reason when it has none (not resumed
    /// there, or an instant is missing: then <paramref name="missing"/> names it).
    /// </summary>
    public static CriticalSectionTrace? Of(V1Alpha1NvmeMigration migration, out string? missing)
    {
        var status = migration.Status;
        missing = null;
        if (status?.Downtime is not { SuspendedAt: { } suspendedAt, ResumedAt: { } resumedAt } downtime
            || downtime.ResumedOn is null || downtime.ResumedOn != status.Destination?.Node)
        {
            return null;
        }

        // The operator's step names (NvmeLm.Operator's StepNames, part of the status contract: see MigrationStep.Name).
        var suspend = Step(status, "Suspend");
        var save = Step(status, "SaveState");
        var restore = Step(status, "RestoreState");
        var resume = Step(status, "Resume");
        (string Name, DateTime? At)[] instants =
        [
            ("Suspend.requestedAt", suspend?.RequestedAt), ("Suspend.seenAt", suspend?.SeenAt), ("Suspend.startedAt", suspend?.StartedAt),
            ("Suspend.finishedAt", suspend?.FinishedAt), ("SaveState.finishedAt", save?.FinishedAt), ("SaveState.reportedAt", save?.ReportedAt),
            ("RestoreState.seenAt", restore?.SeenAt), ("RestoreState.startedAt", restore?.StartedAt), ("RestoreState.finishedAt", restore?.FinishedAt),
            ("Resume.finishedAt", resume?.FinishedAt), ("Resume.reportedAt", resume?.ReportedAt), ("downtime.observedAt", downtime.ObservedAt),
        ];
        if (instants.FirstOrDefault(i => i.At is null) is { Name: { } absent })
        {
            missing = absent;
            return null;
        }

        string[] clocks =
        [
            "operator→source", "source", "source", "source", "source", "source→destination", "destination", "destination", "destination",
            "destination", "destination→operator",
        ];
        var hops = new List<TraceHop>();
        for (int i = 0; i < HopNames.Count; i++)
        {
            // Hops 2..8 (Suspend through Resume) lie between Suspend's start and Resume's finish: the downtime.
            hops.Add(new TraceHop(HopNames[i], clocks[i], i is >= 2 and <= 8, Ms(instants[i + 1].At!.Value - instants[i].At!.Value)));
        }

        return new CriticalSectionTrace(migration.Metadata.Name, hops, Ms(resumedAt - suspendedAt), Ms(downtime.ObservedAt!.Value - suspend!.RequestedAt!.Value));
    }

    private static MigrationStep? Step(V1Alpha1NvmeMigration.EntityStatus status, string name) =>
        status.Steps?.LastOrDefault(s => s.Name == name);

    private static double Ms(TimeSpan span) => span.Ticks / (double)TimeSpan.TicksPerMillisecond;
}

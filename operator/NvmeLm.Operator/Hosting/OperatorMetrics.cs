using System.Collections.Concurrent;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Metrics;
using Prometheus;

namespace NvmeLm.Operator.Hosting;

/// <summary>
/// The operator's own metrics next to the runtime's controller-runtime ones: how long each migration phase
/// took (<c>nvmelm_migration_phase_duration_seconds{phase}</c>), whole migrations by result, and phase
/// transitions, and the device downtime (<c>nvmelm_migration_downtime_seconds{resumed_on}</c>, DESIGN §4.1). Phase entry
/// times are kept in memory; after a restart the phase in flight is not observed. Downtime comes from the migration's
/// status (the agents' times), so it is observed exactly once, by the status write that records it.
/// </summary>
public sealed class OperatorMetrics
{
    private readonly ConcurrentDictionary<string, (MigrationPhase Phase, DateTime EnteredAt)> _phaseEntered = new(StringComparer.Ordinal);

    public OperatorMetrics(KubeMetrics kubeMetrics)
    {
        ArgumentNullException.ThrowIfNull(kubeMetrics);
        Kube = kubeMetrics;
        PhaseDuration = kubeMetrics.CreatePhaseDurationHistogram(
            "nvmelm_migration_phase_duration_seconds", "Time an NvmeMigration spent in each phase.");
        var factory = Prometheus.Metrics.WithCustomRegistry(kubeMetrics.Registry);
        MigrationDuration = factory.CreateHistogram(
            "nvmelm_migration_duration_seconds", "Time from the start of a migration (leaving Pending) to Succeeded or Failed.",
            ["result"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.05, 2, 14) });
        Downtime = factory.CreateHistogram(
            "nvmelm_migration_downtime_seconds",
            "Device downtime of a migration: Suspend on the source to Resume on the destination (resumed_on=destination), or to the source's Resume after a rollback (resumed_on=source).",
            ["resumed_on"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        PhaseTransitions = factory.CreateCounter(
            "nvmelm_migration_phase_transitions_total", "Phase changes of NvmeMigrations, by the phase entered.", ["phase"]);
    }

    public KubeMetrics Kube { get; }

    public Histogram PhaseDuration { get; }

    public Histogram MigrationDuration { get; }

    public Histogram Downtime { get; }

    public Counter PhaseTransitions { get; }

    /// <summary>Observes a recorded downtime: resumed on the destination (committed) or back on the source (rolled back).</summary>
    public void ObserveDowntime(DeviceDowntime downtime, string? destinationNode)
    {
        if (downtime is { SuspendedAt: { } suspended, ResumedAt: { } resumed })
        {
            var on = downtime.ResumedOn is not null && downtime.ResumedOn == destinationNode ? "destination" : "source";
            Downtime.WithLabels(on).Observe(Math.Max(0, (resumed - suspended).TotalSeconds));
        }
    }

    /// <summary>Records that migration <paramref name="uid"/> entered <paramref name="to"/> at <paramref name="now"/>.</summary>
    public void ObserveTransition(string uid, MigrationPhase from, MigrationPhase to, DateTime now, DateTime? startTime)
    {
        PhaseTransitions.WithLabels(to.ToString()).Inc();
        if (_phaseEntered.TryGetValue(uid, out var entered) && entered.Phase == from)
        {
            PhaseDuration.WithLabels(from.ToString()).Observe(Math.Max(0, (now - entered.EnteredAt).TotalSeconds));
        }

        if (to is MigrationPhase.Succeeded or MigrationPhase.Failed)
        {
            _phaseEntered.TryRemove(uid, out _);
            if (startTime is { } start)
            {
                MigrationDuration.WithLabels(to.ToString()).Observe(Math.Max(0, (now - DateTime.SpecifyKind(start, DateTimeKind.Utc)).TotalSeconds));
            }
        }
        else
        {
            _phaseEntered[uid] = (to, now);
        }
    }

    public void Forget(string uid) => _phaseEntered.TryRemove(uid, out _);
}

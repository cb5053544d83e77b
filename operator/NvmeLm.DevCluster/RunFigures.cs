using System.Diagnostics;
using NvmeLm.ApiServer.Audit;
using NvmeLm.DevCluster.Trace;

namespace NvmeLm.DevCluster;

/// <summary>
/// Performance figures of one run: wall time until every migration finished, latency percentiles (creation →
/// terminal, as the demo saw it), device downtime percentiles (DESIGN §4.1: Suspend on the source to Resume on the
/// destination, from the migrations' status), the operator's and agents' API traffic in that window from the
/// server's audit record, and the process's peak working set. Figures from a run by hand, never asserted on.
/// </summary>
public sealed record RunFigures
{
    public required double SetupSeconds { get; init; }

    public required double WallSeconds { get; init; }

    public required double P50Seconds { get; init; }

    public required double P99Seconds { get; init; }

    public required double MaxSeconds { get; init; }

    /// <summary>Device downtime of the migrations that resumed on their destination, in milliseconds (nearest rank).</summary>
    public required double DowntimeP50Ms { get; init; }

    public required double DowntimeP99Ms { get; init; }

    public required double DowntimeMaxMs { get; init; }

    /// <summary>How many migrations the downtime figures are over.</summary>
    public required int DowntimeSamples { get; init; }

    /// <summary>Where the critical section's time goes: each hop of the trace (Suspend requested → Resume observed) over the migrations that resumed on their destination.</summary>
    public required IReadOnlyList<HopFigure> CriticalSection { get; init; }

    public required long ApiRequests { get; init; }

    public required long ApiWrites { get; init; }

    /// <summary>Requests in the window answered 409 Conflict (optimistic-concurrency retries).</summary>
    public required long Conflicts { get; init; }

    public required double RequestsPerMigration { get; init; }

    public required double WritesPerMigration { get; init; }

    /// <summary>Writes in the window by who/what: <c>operator|agent verb resource[/subresource]</c> → count.</summary>
    public required IReadOnlyDictionary<string, long> WritesByKind { get; init; }

    public required double PeakWorkingSetMiB { get; init; }

    public required int ProcessorCount { get; init; }

    public static RunFigures Compute(
        IReadOnlyList<AuditRecord> audit, DateTimeOffset windowStart, DateTimeOffset windowEnd, IReadOnlyList<double> latencies,
        IReadOnlyList<double> downtimesMs, IReadOnlyList<CriticalSectionTrace> traces, int migrations, TimeSpan setup, TimeSpan wall)
    {
        var traffic = audit.Where(r => r.Time >= windowStart && r.Time <= windowEnd && ActorOf(r.Identity) is not null).ToList();
        var writes = traffic.Where(r => r.IsWrite).ToList();
        var sorted = latencies.Order().ToArray();
        var downtimes = downtimesMs.Order().ToArray();
        var perMigration = Math.Max(1, migrations);
        return new RunFigures
        {
            SetupSeconds = Math.Round(setup.TotalSeconds, 3),
            WallSeconds = Math.Round(wall.TotalSeconds, 3),
            P50Seconds = Percentile(sorted, 0.50),
            P99Seconds = Percentile(sorted, 0.99),
            MaxSeconds = sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 3),
            DowntimeP50Ms = Percentile(downtimes, 0.50),
            DowntimeP99Ms = Percentile(downtimes, 0.99),
            DowntimeMaxMs = downtimes.Length == 0 ? 0 : Math.Round(downtimes[^1], 3),
            DowntimeSamples = downtimes.Length,
            CriticalSection = HopFigure.Over(traces),
            ApiRequests = traffic.Count,
            ApiWrites = writes.Count,
            Conflicts = traffic.Count(r => r.StatusCode == 409),
            RequestsPerMigration = Math.Round(traffic.Count / (double)perMigration, 1),
            WritesPerMigration = Math.Round(writes.Count / (double)perMigration, 1),
            WritesByKind = writes
                .GroupBy(r => $"{ActorOf(r.Identity)} {r.Verb} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)}")
                .OrderByDescending(g => g.Count())
                .ToDictionary(g => g.Key, g => (long)g.Count()),
            PeakWorkingSetMiB = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0), 1),
            ProcessorCount = Environment.ProcessorCount,
        };
    }

    /// <summary>"operator" or "agent" for the system's own identities; null for the demo's admin requests.</summary>
    public static string? ActorOf(string identity) =>
        identity.StartsWith("system:node:", StringComparison.Ordinal) ? "agent"
        : identity.StartsWith("system:serviceaccount:" + SimulatedClusterOptions.OperatorNamespace + ":", StringComparison.Ordinal) ? "operator"
        : null;

    private static double Percentile(double[] sorted, double p) => Percentiles.NearestRank(sorted, p);
}

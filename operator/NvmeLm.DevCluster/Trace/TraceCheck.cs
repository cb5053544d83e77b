using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.DevCluster.Trace;

/// <summary>
/// What an honest critical-section trace looks like (DESIGN §4.1), for the simulated cluster, whose agents and operator
/// share one clock: every migration that resumed on its destination has every instant, no hop is negative, the
/// downtime hops add up to the recorded downtime and all hops to requested → observed. Added up in ticks, so "add up"
/// is exact, not within a tolerance. (On a real cluster the three hops between machines carry the clocks' offset and
/// only the hops inside one agent are bound to be non-negative.)
/// </summary>
public static class TraceCheck
{
    public static IReadOnlyList<string> Problems(IReadOnlyList<V1Alpha1NvmeMigration> migrations)
    {
        var problems = new List<string>();
        foreach (var migration in migrations.Where(m => m.Status?.Phase == MigrationPhase.Succeeded))
        {
            var name = migration.Metadata.Name;
            if (CriticalSectionTrace.Of(migration, out string? missing) is not { } trace)
            {
                problems.Add($"{name}: no critical-section trace ({missing ?? "not resumed on its destination"} missing)");
                continue;
            }

            problems.AddRange(trace.Hops.Where(h => h.Milliseconds < 0).Select(h => $"{name}: trace hop '{h.Name}' is {h.Milliseconds:0.###} ms"));
            double downtime = trace.Hops.Where(h => h.InDowntime).Sum(h => h.Milliseconds);
            if (Math.Abs(downtime - trace.DowntimeMs) > Rounding)
            {
                problems.Add($"{name}: the downtime hops add up to {downtime:0.###} ms, the downtime is {trace.DowntimeMs:0.###} ms");
            }

            double total = trace.Hops.Sum(h => h.Milliseconds);
            if (Math.Abs(total - trace.TotalMs) > Rounding)
            {
                problems.Add($"{name}: the trace's hops add up to {total:0.###} ms, requested → observed is {trace.TotalMs:0.###} ms");
            }
        }

        return problems;
    }

    /// <summary>The instants are whole microseconds (MicroTime); only the doubles' summation rounds.</summary>
    private const double Rounding = 0.0005;
}

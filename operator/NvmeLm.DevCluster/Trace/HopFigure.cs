namespace NvmeLm.DevCluster.Trace;

/// <summary>One hop of the critical-section trace over a run: its percentiles in milliseconds (nearest rank).</summary>
public sealed record HopFigure(string Name, string Clock, bool InDowntime, double P50Ms, double P99Ms, double MaxMs, int Samples)
{
    public static IReadOnlyList<HopFigure> Over(IReadOnlyList<CriticalSectionTrace> traces) =>
        CriticalSectionTrace.HopNames.Select(name =>
        {
            var hops = traces.Select(t => t.Hops.First(h => h.Name == name)).ToList();
            var sorted = hops.Select(h => h.Milliseconds).Order().ToArray();
            var first = hops.FirstOrDefault();
            return new HopFigure(name, first?.Clock ?? "", first?.InDowntime ?? false,
                Percentiles.NearestRank(sorted, 0.50), Percentiles.NearestRank(sorted, 0.99), sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 3), sorted.Length);
        }).ToList();
}

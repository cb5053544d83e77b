namespace NvmeLm.DevCluster;

/// <summary>Percentiles of the demo's figures.</summary>
public static class Percentiles
{
    /// <summary>Nearest-rank percentile of an ascending array, rounded to the microsecond (0 when empty).</summary>
    public static double NearestRank(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 3);
    }
}

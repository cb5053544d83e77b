namespace NvmeLm.Kube.Queue;

/// <summary>
/// Capped exponential back-off: <c>min(initial * 2^(failures-1), max)</c>. Used by the work queue per key
/// and by the informer's reconnect loop. It only computes delays; it never gives up (KubeOps dropped keys
/// after 5 retries, which loses work).
/// </summary>
public sealed record ExponentialBackoff(TimeSpan Initial, TimeSpan Max)
{
    public static ExponentialBackoff Default { get; } = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(300));

    /// <summary>The delay after the <paramref name="failures"/>-th consecutive failure (1-based).</summary>
    public TimeSpan GetDelay(int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        // 2^62 ticks overflow long; past ~40 doublings every sane initial delay is already capped.
        var exponent = Math.Min(failures - 1, 40);
        var ticks = Initial.Ticks * Math.Pow(2, exponent);
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay with up to ±<paramref name="jitterFraction"/> random spread, so restarts do not synchronise.</summary>
    public TimeSpan GetDelayWithJitter(int failures, double jitterFraction = 0.2)
    {
        var delay = GetDelay(failures);
        var factor = 1 + ((Random.Shared.NextDouble() * 2) - 1) * jitterFraction;
        return TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }
}

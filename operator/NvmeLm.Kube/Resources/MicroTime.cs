namespace NvmeLm.Kube.Resources;

/// <summary>
/// Timestamps as Kubernetes' <c>metav1.MicroTime</c>: UTC, RFC 3339 with six fractional digits. KubernetesJson writes
/// <see cref="DateTime"/> with microsecond precision, so a value kept with finer ticks would differ from the server's
/// echo of it; truncating once, where the time is taken, makes a stored timestamp round-trip unchanged.
/// </summary>
public static class MicroTime
{
    /// <summary>Ticks (100 ns) in one microsecond.</summary>
    public const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The current UTC time of <paramref name="time"/>, truncated to microseconds.</summary>
    public static DateTime Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Truncate(time.GetUtcNow());
    }

    /// <summary><paramref name="value"/> in UTC, truncated to microseconds.</summary>
    public static DateTime Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TicksPerMicrosecond), DateTimeKind.Utc);

    /// <summary>
    /// The end of an interval measured on the monotonic clock: <paramref name="startedAt"/> plus
    /// <paramref name="elapsed"/>, so the interval's length comes from one clock and is never negative, even when the
    /// wall clock steps (NTP) while it runs.
    /// </summary>
    public static DateTime After(DateTime startedAt, TimeSpan elapsed) =>
        Truncate(new DateTimeOffset(DateTime.SpecifyKind(startedAt, DateTimeKind.Utc)) + (elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed));
}

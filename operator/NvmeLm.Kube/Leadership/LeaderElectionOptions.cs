namespace NvmeLm.Kube.Leadership;

/// <summary>Settings of a <see cref="LeaderElector"/> (client-go's defaults: 15 s / 10 s / 2 s).</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseName { get; init; }

    public required string LeaseNamespace { get; init; }

    /// <summary>Who this process is in <c>spec.holderIdentity</c>; unique per process (pod name is usual).</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary>How long others wait after the last renewal before taking over; written to the lease.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A leader that has not renewed for this long steps down (before others may take over).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between acquire attempts and between renewals.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How far the holder's clock may be off ours. A lease whose <c>renewTime</c> is older than
    /// <c>leaseDurationSeconds</c> plus this tolerance is taken over at once, without waiting a further full
    /// lease duration of local observation (csharp #1599).
    /// </summary>
    public TimeSpan ClockSkewTolerance { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>On shutdown, clear the holder so another candidate takes over at once.</summary>
    public bool ReleaseOnShutdown { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LeaseName);
        ArgumentException.ThrowIfNullOrEmpty(LeaseNamespace);
        ArgumentException.ThrowIfNullOrEmpty(Identity);
        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod || LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException("Leader election needs 0 < RetryPeriod < RenewDeadline < LeaseDuration.");
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || ClockSkewTolerance < TimeSpan.Zero)
        {
            throw new ArgumentException("LeaseDuration must be at least 1 s (the lease stores whole seconds) and ClockSkewTolerance >= 0.");
        }
    }
}

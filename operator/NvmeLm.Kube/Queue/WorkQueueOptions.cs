namespace NvmeLm.Kube.Queue;

/// <summary>Settings of a <see cref="WorkQueue{TKey}"/>.</summary>
public sealed record WorkQueueOptions
{
    /// <summary>The <c>name</c> label of the workqueue metrics (usually the controller name).</summary>
    public string Name { get; init; } = "default";

    /// <summary>How many keys may be processed at once, across all callers of <see cref="WorkQueue{TKey}.DequeueAsync"/>.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>Per-key retry delay after failures; capped, and a key is never dropped.</summary>
    public ExponentialBackoff Backoff { get; init; } = ExponentialBackoff.Default;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Name);
        if (MaxConcurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "Must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(Backoff);
        if (Backoff.Initial <= TimeSpan.Zero || Backoff.Max < Backoff.Initial)
        {
            throw new ArgumentOutOfRangeException(nameof(Backoff), Backoff, "Need 0 < Initial <= Max.");
        }
    }
}

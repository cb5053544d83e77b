namespace NvmeLm.Kube.Informers;

/// <summary>What an informer watches and how it keeps the watch alive.</summary>
public sealed record InformerOptions
{
    /// <summary>Namespace to watch; null watches the whole cluster (and is required for cluster-scoped kinds).</summary>
    public string? Namespace { get; init; }

    /// <summary>For example <c>metadata.name=node-1</c> (the node agent watches only its own NvmeNode).</summary>
    public string? FieldSelector { get; init; }

    public string? LabelSelector { get; init; }

    /// <summary>
    /// Server-side lifetime of one watch call. The informer resumes from the last resourceVersion when it
    /// ends, so no watch lives forever (csharp #533/#884: hour-long watches hang on half-open TCP).
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A watch that delivers nothing (no event, no bookmark) for this long is torn down and restarted.
    /// Must exceed the server's bookmark interval (about a minute on kube-apiserver).
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>First delay after a failed list/watch; doubles per consecutive failure.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap of the list/watch retry delay (KubeOps used 32 s with jitter).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(32);

    internal void Validate()
    {
        if (WatchTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(WatchTimeout), WatchTimeout, "Must be at least one second.");
        }

        if (StallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StallTimeout), StallTimeout, "Must be positive.");
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBackoff), MaxBackoff, "Need 0 < InitialBackoff <= MaxBackoff.");
        }
    }
}

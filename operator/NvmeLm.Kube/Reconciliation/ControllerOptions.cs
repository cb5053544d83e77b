using NvmeLm.Kube.Queue;

namespace NvmeLm.Kube.Reconciliation;

/// <summary>Settings of a <see cref="Controller{T}"/>.</summary>
public sealed record ControllerOptions
{
    /// <summary>The <c>controller</c> label of the metrics and the work queue name.</summary>
    public required string Name { get; init; }

    /// <summary>Reconciles running at once (distinct keys; one key is never reconciled concurrently).</summary>
    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>Per-key retry back-off after <see cref="ReconcileResult.Failed"/> or an exception.</summary>
    public ExponentialBackoff Backoff { get; init; } = ExponentialBackoff.Default;

    /// <summary>
    /// The priority of a key when it is queued (higher is reconciled first; null: FIFO). Cheap and lock-free, e.g. a
    /// look at the informer's cached object; see <see cref="Queue.WorkQueue{TKey}"/>.
    /// </summary>
    public Func<NamespacedName, int>? Priority { get; init; }

    /// <summary>Every cached key is queued again this often (level-triggered safety net); null disables it.</summary>
    public TimeSpan? ResyncPeriod { get; init; }
}

namespace NvmeLm.Kube.Reconciliation;

/// <summary>
/// The reconciler contract: bring the object named <paramref name="key"/> to its desired state, reading it
/// from the informer cache or the API (it may be gone). Must be idempotent, and must honour
/// <paramref name="cancellationToken"/>: it fires on shutdown and when a leadership term ends.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken);
}

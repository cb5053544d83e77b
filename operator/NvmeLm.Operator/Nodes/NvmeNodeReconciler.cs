using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Kube.Resources;
using NvmeLm.Operator.Logging;
using NvmeLm.Operator.Pools;

namespace NvmeLm.Operator.Nodes;

/// <summary>
/// One NvmeNode per node that runs an agent. The agent creates its own NvmeNode when it starts (it knows its
/// node name and must report inventory before any pool can select a PF); the operator never creates one.
/// This reconciler (1) renders the pools onto the node's spec (see <see cref="PoolRenderer"/>), and (2)
/// deletes a stale NvmeNode: heartbeat older than <see cref="NodeLifecycleOptions.StaleAfter"/> AND no Node
/// object of that name any more.
/// </summary>
internal sealed class NvmeNodeReconciler(
    ResourceClient<V1Alpha1NvmeNode> nvmeNodes,
    ObjectCache<V1Alpha1NvmeNode> nvmeNodeCache,
    ObjectCache<V1Alpha1NvmeVfPool> poolCache,
    ObjectCache<PartialObjectMetadata> nodeCache,
    NodeLifecycleOptions options,
    TimeProvider time,
    ILogger logger) : IReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        if (nvmeNodeCache.Get(key) is not { } cached || cached.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Success();
        }

        var kubeNode = nodeCache.Get(NamespacedName.Cluster(key.Name));
        if (kubeNode is null)
        {
            var lastSeen = cached.Status?.HeartbeatTime ?? cached.Metadata.CreationTimestamp ?? DateTime.MinValue;
            var staleAt = DateTime.SpecifyKind(lastSeen, DateTimeKind.Utc) + options.StaleAfter;
            var now = time.GetUtcNow().UtcDateTime;
            if (now >= staleAt)
            {
                logger.StaleNodeDeleted(key.Name, cached.Status?.HeartbeatTime);
                await nvmeNodes.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Success();
            }

            // Render anyway (the Node object may simply not exist in this cluster flavour), and look again at the deadline.
            await RenderAsync(key, cached, null, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success(staleAt - now + TimeSpan.FromSeconds(1));
        }

        await RenderAsync(key, cached, kubeNode.Metadata.Labels, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Success();
    }

    private async Task RenderAsync(NamespacedName key, V1Alpha1NvmeNode cached, IDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        var pools = PoolSelector.ByAge(poolCache.List());

        // Decide on the cached object first, without changing it: most events (heartbeats, an agent's status
        // writes) change nothing here and cost no copy and no API call.
        if (!PoolRenderer.WouldChange(cached, PoolAssignment.For(cached, labels, pools)))
        {
            return;
        }

        // A spec patch from the cached copy: the agent's status writes do not conflict with it, a stale spec does.
        var stored = await nvmeNodes.UpdateSpecAsync(key, cached, node => PoolRenderer.Render(node, PoolAssignment.For(node, labels, pools)), cancellationToken)
            .ConfigureAwait(false);
        logger.NodeRendered(key.Name, stored?.Spec.PhysicalFunctions?.Count ?? 0);
    }
}

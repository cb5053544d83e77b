using k8s.Models;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Kube.Resources;
using NvmeLm.Operator.Logging;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Pools;

/// <summary>
/// Reports what a pool selected: nodes (nodeSelector ∩ nodes with an agent), PFs it owns, nodes whose agent
/// reports the pool's layout applied, and a <c>Conflict</c> condition naming each PF an older pool owns
/// (the older pool wins, always the same one, so nothing flaps). Writes status only when it changes.
/// </summary>
internal sealed class PoolStatusReconciler(
    ResourceClient<V1Alpha1NvmeVfPool> pools,
    ObjectCache<V1Alpha1NvmeVfPool> poolCache,
    ObjectCache<V1Alpha1NvmeNode> nvmeNodeCache,
    ObjectCache<PartialObjectMetadata> nodeCache,
    TimeProvider time,
    ILogger logger) : IReconciler
{
    public const string ConflictCondition = "Conflict";

    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        if (poolCache.Get(key) is not { } pool || pool.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Success();
        }

        var summary = Summarize(pool);
        var logged = false;
        // From the cached copy: most reconciles (one per NvmeNode status change) find nothing to write and cost no GET.
        // A copy behind this reconciler's own last write conflicts (409, then a read) or, if it needs no change, is
        // corrected by the reconcile that write's watch event triggers.
        await pools.UpdateStatusAsync(pool, current =>
        {
            var status = current.Status ??= new V1Alpha1NvmeVfPool.EntityStatus();
            var changed = Apply(status, summary, current.Metadata.Generation);
            if (changed && !logged)
            {
                logged = true;
                logger.PoolStatus(key.Name, summary.Nodes.Count, summary.ReadyNodes, summary.Controllers, summary.Conflicts.Count);
            }

            return changed;
        }, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Success();
    }

    private PoolSummary Summarize(V1Alpha1NvmeVfPool pool)
    {
        var byAge = PoolSelector.ByAge(poolCache.List());
        var name = pool.Metadata.Name;
        var nodes = new List<string>();
        var conflicts = new List<PoolConflict>();
        var controllers = 0;
        var ready = 0;
        foreach (var nvmeNode in nvmeNodeCache.List().OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var labels = nodeCache.Get(NamespacedName.Cluster(nvmeNode.Metadata.Name))?.Metadata.Labels;
            var assignment = PoolAssignment.For(nvmeNode, labels, byAge);
            if (!assignment.SelectingPools.Contains(name))
            {
                continue;
            }

            nodes.Add(nvmeNode.Metadata.Name);
            conflicts.AddRange(assignment.Conflicts.Where(c => c.Pool == name));
            var owned = assignment.Winners.Where(w => w.Value.Metadata.Name == name).Select(w => w.Key).ToList();
            controllers += owned.Count;
            if (IsProvisioned(nvmeNode, owned, pool))
            {
                ready++;
            }
        }

        return new PoolSummary(nodes, ready, controllers, conflicts);
    }

    /// <summary>
    /// Hardware truth matches the pool's layout on every PF the pool owns there: the VF count, and every VF
    /// online with the pool's driver. Deliberately not tied to observedGeneration: migrations change the same
    /// spec (roles, operations) and must not make the pool look unready for a moment on every step.
    /// A node whose agent has not published its inventory owns no PF yet (PFs are matched against the reported
    /// ones), so "every owned PF provisioned" would hold vacuously: such a node is not ready.
    /// </summary>
    private static bool IsProvisioned(V1Alpha1NvmeNode node, List<string> ownedPfs, V1Alpha1NvmeVfPool pool)
    {
        return NodeInventory.HasInventory(node) && ownedPfs.All(address =>
        {
            var wanted = node.Spec.PhysicalFunctions?.FirstOrDefault(p => p.Address == address);
            var actual = node.Status?.PhysicalFunctions?.FirstOrDefault(p => p.Address == address);
            if (wanted is null || actual is null || actual.NumVfs != wanted.NumVfs)
            {
                return false;
            }

            return (wanted.Secondaries ?? []).All(s => actual.Secondaries?.FirstOrDefault(a => a.VfNumber == s.VfNumber) is { Online: true } a
                && (s.Driver is null || a.Driver == s.Driver));
        });
    }

    private bool Apply(V1Alpha1NvmeVfPool.EntityStatus status, PoolSummary summary, long? generation)
    {
        var now = time.GetUtcNow();
        var changed = status.ObservedGeneration != generation || status.SelectedNodes != summary.Nodes.Count
            || status.ReadyNodes != summary.ReadyNodes || status.SelectedControllers != summary.Controllers
            || !(status.Nodes ?? []).SequenceEqual(summary.Nodes);
        status.ObservedGeneration = generation;
        status.SelectedNodes = summary.Nodes.Count;
        status.ReadyNodes = summary.ReadyNodes;
        status.SelectedControllers = summary.Controllers;
        status.Nodes = summary.Nodes;
        status.Conditions ??= new List<V1Condition>();
        var conditions = status.Conditions;

        var allReady = summary.Nodes.Count > 0 && summary.ReadyNodes == summary.Nodes.Count;
        changed |= Conditions.Set(conditions, "Ready", allReady ? Conditions.True : Conditions.False,
            summary.Nodes.Count == 0 ? "NoNodesSelected" : allReady ? "Provisioned" : "Provisioning",
            $"{summary.ReadyNodes}/{summary.Nodes.Count} selected nodes provisioned, {summary.Controllers} PFs.", generation, now);
        changed |= Conditions.Set(conditions, "Progressing", allReady || summary.Nodes.Count == 0 ? Conditions.False : Conditions.True,
            allReady ? "Provisioned" : summary.Nodes.Count == 0 ? "NoNodesSelected" : "WaitingForAgents",
            allReady ? "" : "Waiting for the agents to apply the pool's layout.", generation, now);
        var conflictMessage = string.Join("; ", summary.Conflicts.Take(20).Select(c =>
            $"PF {c.PfAddress} on {c.Node} is owned by older pool {c.Winner}")) + (summary.Conflicts.Count > 20 ? $"; and {summary.Conflicts.Count - 20} more" : "");
        changed |= Conditions.Set(conditions, ConflictCondition, summary.Conflicts.Count > 0 ? Conditions.True : Conditions.False,
            summary.Conflicts.Count > 0 ? "PfClaimedByOlderPool" : "NoConflict", conflictMessage, generation, now);
        changed |= Conditions.Set(conditions, "Degraded", summary.Conflicts.Count > 0 ? Conditions.True : Conditions.False,
            summary.Conflicts.Count > 0 ? "PfClaimedByOlderPool" : "AsExpected", conflictMessage, generation, now);
        return changed;
    }

    private sealed record PoolSummary(List<string> Nodes, int ReadyNodes, int Controllers, List<PoolConflict> Conflicts);
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Nodes;

/// <summary>Read-only questions about what an agent reported in <c>NvmeNode.status</c>.</summary>
internal static class NodeInventory
{
    /// <summary>The agent has published an inventory at least once (a heartbeat is written with it).</summary>
    public static bool HasInventory(V1Alpha1NvmeNode node) => node.Status?.HeartbeatTime is not null;

    public static PhysicalFunctionStatus? FindPf(V1Alpha1NvmeNode node, string pfAddress) =>
        node.Status?.PhysicalFunctions?.FirstOrDefault(pf => pf.Address == pfAddress);

    /// <summary>Every secondary controller the agent reports, across PFs.</summary>
    public static IEnumerable<SecondaryControllerStatus> Secondaries(V1Alpha1NvmeNode node) =>
        node.Status?.PhysicalFunctions?.SelectMany(pf => pf.Secondaries ?? []) ?? [];

    /// <summary>The PF and secondary controller whose VF has <paramref name="vfAddress"/>.</summary>
    public static (PhysicalFunctionStatus Pf, SecondaryControllerStatus Secondary)? FindSecondary(V1Alpha1NvmeNode node, string vfAddress)
    {
        foreach (var pf in node.Status?.PhysicalFunctions ?? [])
        {
            foreach (var secondary in pf.Secondaries ?? [])
            {
                if (secondary.VfAddress == vfAddress)
                {
                    return (pf, secondary);
                }
            }
        }

        return null;
    }

    public static NodeOperationResult? FindResult(V1Alpha1NvmeNode? node, string operationId) =>
        node?.Status?.OperationResults?.FirstOrDefault(r => r.Id == operationId);

    /// <summary>The agent has processed the node's current spec (its status reports that generation or a later one).</summary>
    public static bool HasObservedSpec(V1Alpha1NvmeNode node) =>
        node.Status?.ObservedGeneration is { } observed && observed >= (node.Metadata.Generation ?? 0);

    /// <summary>
    /// The agent has looked at the current spec and reports that applying it failed (Degraded or a sync
    /// error for this very generation): waiting longer will not help.
    /// </summary>
    public static string? SyncErrorForCurrentSpec(V1Alpha1NvmeNode node)
    {
        var status = node.Status;
        if (status?.ObservedGeneration is null || status.ObservedGeneration < node.Metadata.Generation)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(status.LastSyncError))
        {
            return status.LastSyncError;
        }

        return Conditions.IsTrue(status.Conditions, "Degraded")
            ? Conditions.Find(status.Conditions, "Degraded")?.Message ?? "the agent reports Degraded"
            : null;
    }

    /// <summary>
    /// True when the spec no longer names <paramref name="ownerUid"/> (no hold, no operation) and the agent, having seen
    /// that spec (<c>observedGeneration</c>), reports the VF no longer held by it (or the VF is gone). All three: a release
    /// is done only when it is requested and carried out; a status written before the agent applied the hold says "not
    /// held" too, and taking it for the release would let the agent lock (and suspend) the VF after the migration ended.
    /// </summary>
    public static bool IsReleasedBy(V1Alpha1NvmeNode? node, string? vfAddress, string ownerUid)
    {
        if (node is null || vfAddress is null)
        {
            return true;
        }

        if (NodeSpecEditor.References(node, ownerUid) || !HasObservedSpec(node))
        {
            return false;
        }

        var found = FindSecondary(node, vfAddress);
        return found is null || found.Value.Secondary.OwnerUid != ownerUid || found.Value.Secondary.Role is null or SecondaryRole.Pool;
    }
}

using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Nodes;

/// <summary>
/// The edits the migration controller makes to <c>NvmeNode.spec</c>. Each is a pure function of the object
/// it is given and returns whether it changed anything, so it can run inside a resourceVersion-checked
/// read–modify–write (it may run again on a 409 with a fresher object) and a repeat is a no-op.
/// </summary>
internal static class NodeSpecEditor
{
    /// <summary>Outcome of <see cref="Hold"/>.</summary>
    public enum HoldOutcome
    {
        /// <summary>The spec now holds the VF for the owner (changed).</summary>
        Held,

        /// <summary>The spec already held it (no change).</summary>
        AlreadyHeld,

        /// <summary>Another migration holds the VF.</summary>
        HeldByOther,

        /// <summary>No pool manages the PF, so the agent would not touch it.</summary>
        PfNotManaged,
    }

    /// <summary>
    /// Gives secondary <paramref name="vfNumber"/> of PF <paramref name="pfAddress"/> the role
    /// <paramref name="role"/> for <paramref name="ownerUid"/> (allow-resume / allow-migrate lock). The
    /// pool's driver and resources stay; a VF the pool did not list gets <paramref name="driver"/>.
    /// <paramref name="handToTargetPod"/> (a <c>stateTransfer: Vmm</c> destination) tells the node's device plugin to
    /// offer the held VF to KubeVirt's target pod instead of hiding it.
    /// </summary>
    public static HoldOutcome Hold(
        V1Alpha1NvmeNode node, string pfAddress, int vfNumber, SecondaryRole role, string ownerUid, string driver, bool handToTargetPod = false)
    {
        var pf = node.Spec.PhysicalFunctions?.FirstOrDefault(p => p.Address == pfAddress);
        if (pf is null || vfNumber > pf.NumVfs)
        {
            return HoldOutcome.PfNotManaged;
        }

        pf.Secondaries ??= new List<SecondaryControllerSpec>();
        var secondary = pf.Secondaries.FirstOrDefault(s => s.VfNumber == vfNumber);
        if (secondary is null)
        {
            secondary = new SecondaryControllerSpec { VfNumber = vfNumber, Driver = driver };
            pf.Secondaries.Add(secondary);
        }
        else if (secondary.Role != SecondaryRole.Pool && secondary.OwnerUid != ownerUid)
        {
            return HoldOutcome.HeldByOther;
        }
        else if (secondary.Role == role && secondary.OwnerUid == ownerUid)
        {
            return HoldOutcome.AlreadyHeld;
        }

        secondary.Role = role;
        secondary.OwnerUid = ownerUid;
        secondary.Driver ??= driver;
        secondary.HandToTargetPod = handToTargetPod ? true : null;
        return HoldOutcome.Held;
    }

    /// <summary>True when the spec holds the VF for <paramref name="ownerUid"/> in any role.</summary>
    public static bool IsHeldBy(V1Alpha1NvmeNode node, string? pfAddress, int? vfNumber, string ownerUid) =>
        FindSecondary(node, pfAddress, vfNumber) is { } s && s.Role != SecondaryRole.Pool && s.OwnerUid == ownerUid;

    public static SecondaryControllerSpec? FindSecondary(V1Alpha1NvmeNode node, string? pfAddress, int? vfNumber) =>
        node.Spec.PhysicalFunctions?.FirstOrDefault(p => p.Address == pfAddress)?.Secondaries?.FirstOrDefault(s => s.VfNumber == vfNumber);

    public static bool HasOperation(V1Alpha1NvmeNode node, string operationId) =>
        node.Spec.Operations?.Any(o => o.Id == operationId) == true;

    /// <summary>
    /// Appends <paramref name="operation"/> unless its id is already there. Only while the VF is still held
    /// by the operation's owner: once a migration released its VFs (and removed its operations), a late or
    /// stale request must not bring an operation back.
    /// </summary>
    public static bool AddOperation(V1Alpha1NvmeNode node, string pfAddress, int vfNumber, NodeOperation operation)
    {
        if (HasOperation(node, operation.Id) || !IsHeldBy(node, pfAddress, vfNumber, operation.OwnerUid))
        {
            return false;
        }

        node.Spec.Operations ??= new List<NodeOperation>();
        node.Spec.Operations.Add(operation);
        return true;
    }

    /// <summary>
    /// Returns every VF <paramref name="ownerUid"/> holds to the pool and removes its operations, in one
    /// write (the agent then prunes the matching results from its status).
    /// </summary>
    public static bool Release(V1Alpha1NvmeNode node, string ownerUid)
    {
        var changed = false;
        foreach (var pf in node.Spec.PhysicalFunctions ?? [])
        {
            foreach (var secondary in pf.Secondaries ?? [])
            {
                if (secondary.OwnerUid == ownerUid)
                {
                    secondary.Role = SecondaryRole.Pool;
                    secondary.OwnerUid = null;
                    secondary.HandToTargetPod = null;
                    changed = true;
                }
            }
        }

        if (node.Spec.Operations is { } operations)
        {
            for (var i = operations.Count - 1; i >= 0; i--)
            {
                if (operations[i].OwnerUid == ownerUid)
                {
                    operations.RemoveAt(i);
                    changed = true;
                }
            }
        }

        return changed;
    }

    /// <summary>
    /// Returns the VF <paramref name="ownerUid"/> holds on <paramref name="pfAddress"/> to the pool but keeps its
    /// operations: how the operator disarms a destination armed in advance (DESIGN §4.1). The agent hands the VF back and
    /// from then on refuses the owner's operations on it (the steps need the lock), yet keeps publishing the results of
    /// those that ran, so the operator can tell whether the destination resumed before it let go.
    /// </summary>
    public static bool Unhold(V1Alpha1NvmeNode node, string? pfAddress, int? vfNumber, string ownerUid)
    {
        if (FindSecondary(node, pfAddress, vfNumber) is not { } secondary || secondary.OwnerUid != ownerUid)
        {
            return false;
        }

        secondary.Role = SecondaryRole.Pool;
        secondary.OwnerUid = null;
        return true;
    }

    /// <summary>True when the spec still names <paramref name="ownerUid"/> anywhere (a hold or an operation).</summary>
    public static bool References(V1Alpha1NvmeNode node, string ownerUid) =>
        node.Spec.Operations?.Any(o => o.OwnerUid == ownerUid) == true
        || node.Spec.PhysicalFunctions?.Any(pf => pf.Secondaries?.Any(s => s.OwnerUid == ownerUid) == true) == true;
}

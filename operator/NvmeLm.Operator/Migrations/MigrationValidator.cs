using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Checks a migration against the live NvmeNode inventory and resolves both ends (DESIGN §4, seed step 3)
/// before anything is requested of an agent: a bad request fails here with a clear reason and zero
/// hardware actions.
/// </summary>
internal static class MigrationValidator
{
    /// <param name="getNode">NvmeNode by name (from the informer cache).</param>
    /// <param name="excludedDestinations">VF addresses not to pick: occupied by an earlier migration, or reserved by a migration that won the race for them.</param>
    /// <param name="kubeVirt">KubeVirt's VMIs, for <c>spec.vmiName</c>; absent when KubeVirt is not installed.</param>
    /// <param name="allocationGraceOver">
    /// False while a VMI's VF allocation may not have reached the NvmeNode yet (<see cref="MigrationOptions.VmiAllocationGrace"/>):
    /// a VMI without a recorded pool VF then waits instead of failing.
    /// </param>
    public static ValidationOutcome Validate(
        V1Alpha1NvmeMigration migration, Func<string, V1Alpha1NvmeNode?> getNode, IReadOnlySet<string>? excludedDestinations = null,
        KubeVirtView? kubeVirt = null, bool allocationGraceOver = true)
    {
        var spec = migration.Spec;
        var uid = migration.Metadata.Uid ?? "";
        var sourceVf = spec.Source.VfAddress;
        if (!string.IsNullOrEmpty(spec.VmiName))
        {
            // KubeVirt's verdict and the VMI's own VF come before anything else: a refused VMI fails with zero writes.
            (sourceVf, var stop) = VmiSource.Resolve(migration, kubeVirt ?? KubeVirtView.Absent, getNode, allocationGraceOver);
            if (stop is not null)
            {
                return stop;
            }
        }

        if (spec.StateTransfer == StateTransferMode.Vmm && string.IsNullOrEmpty(spec.VmiName))
        {
            return new ValidationOutcome.Invalid(FailureReasons.VmmNeedsVmi,
                "stateTransfer Vmm has KubeVirt move a VM and its VMM the device state: set vmiName to the VMI that holds the VF.");
        }

        if (spec.StateTransfer is not (StateTransferMode.Agent or StateTransferMode.Vmm))
        {
            return new ValidationOutcome.Invalid(FailureReasons.UnsupportedStateTransfer,
                $"stateTransfer {spec.StateTransfer} is not implemented by this operator; use Agent or Vmm.");
        }

        if (spec.Source.Node == spec.Destination.Node && !spec.AllowSameNode)
        {
            return new ValidationOutcome.Invalid(FailureReasons.SameNode,
                $"source and destination are both on node {spec.Source.Node}; set allowSameNode to migrate within one node.");
        }

        var sourceNode = getNode(spec.Source.Node);
        if (sourceNode is null)
        {
            return new ValidationOutcome.Invalid(FailureReasons.SourceNodeNotFound,
                $"No NvmeNode {spec.Source.Node}: the node does not exist or runs no nvme-lm agent.");
        }

        var destinationNode = getNode(spec.Destination.Node);
        if (destinationNode is null)
        {
            return new ValidationOutcome.Invalid(FailureReasons.DestinationNodeNotFound,
                $"No NvmeNode {spec.Destination.Node}: the node does not exist or runs no nvme-lm agent.");
        }

        foreach (var node in new[] { sourceNode, destinationNode })
        {
            if (!NodeInventory.HasInventory(node))
            {
                return new ValidationOutcome.Wait("WaitingForInventory",
                    $"The agent on {node.Metadata.Name} has not published its inventory yet.");
            }
        }

        // sourceVf is null only when the VMI's node had no inventory, which the checks above already waited for.
        var source = ResolveSource(sourceVf ?? "", sourceNode, uid, out var sourceFailure);
        if (source is null)
        {
            return sourceFailure!;
        }

        return DestinationPicker.Pick(migration, source.Value, destinationNode, excludedDestinations ?? new HashSet<string>());
    }

    private static SourceCandidate? ResolveSource(string vfAddress, V1Alpha1NvmeNode node, string uid, out ValidationOutcome? failure)
    {
        failure = null;
        var nodeName = node.Metadata.Name;
        if (NodeInventory.FindSecondary(node, vfAddress) is not { } found)
        {
            failure = new ValidationOutcome.Invalid(FailureReasons.SourceVfNotFound,
                $"Node {nodeName} reports no VF {vfAddress} (no secondary controller of an NVMe PF has that address).");
            return null;
        }

        var (pf, secondary) = found;
        if (!secondary.Migratable || pf.Capabilities?.HostManagedLiveMigration != true)
        {
            failure = new ValidationOutcome.Invalid(FailureReasons.SourceVfNotMigratable,
                $"VF {vfAddress} on {nodeName} is not migratable (online={secondary.Online}, driver={secondary.Driver ?? "none"}, "
                + $"host-managed live migration on PF {pf.Address}={pf.Capabilities?.HostManagedLiveMigration == true}).");
            return null;
        }

        var pfSpec = node.Spec.PhysicalFunctions?.FirstOrDefault(p => p.Address == pf.Address);
        if (pfSpec is null)
        {
            failure = new ValidationOutcome.Invalid(FailureReasons.SourceNotManaged,
                $"PF {pf.Address} on {nodeName} is not selected by any NvmeVfPool, so the agent will not touch it.");
            return null;
        }

        var held = pfSpec.Secondaries?.FirstOrDefault(s => s.VfNumber == secondary.VfNumber);
        if (held is { Role: SecondaryRole.ResumeTarget } && held.OwnerUid != uid)
        {
            // Another migration picked this VF as its destination before this one named it as a source (the picker cannot
            // see a VM placed otherwise): it gives the VF back as soon as it sees this migration, before its source stops.
            failure = new ValidationOutcome.Wait("WaitingForSource",
                $"VF {vfAddress} on {nodeName} is reserved as the destination of NvmeMigration uid {held.OwnerUid}, which gives it back now that this migration names it as its source.");
            return null;
        }

        if (held is not null && held.Role != SecondaryRole.Pool && held.OwnerUid != uid)
        {
            failure = new ValidationOutcome.Invalid(FailureReasons.SourceVfBusy,
                $"VF {vfAddress} on {nodeName} is held as {held.Role} by NvmeMigration uid {held.OwnerUid}.");
            return null;
        }

        var endpoint = new ResolvedEndpoint
        {
            Node = nodeName,
            PfAddress = pf.Address,
            VfAddress = vfAddress,
            Scid = secondary.Scid,
            VfNumber = secondary.VfNumber,
            IommuGroup = secondary.IommuGroup,
        };
        return new SourceCandidate(endpoint, pf, secondary, held?.Driver ?? secondary.Driver ?? NvmeLmApi.DefaultVfioDriver);
    }
}

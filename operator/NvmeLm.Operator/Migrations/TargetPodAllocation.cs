using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// <c>stateTransfer: Vmm</c> (issue 11): did KubeVirt's migration target pod get exactly the VF the migration prepared?
/// The kubelet does not tell a device plugin which pod it allocates for, so the destination's plugin only offers the
/// reserved VF first (<c>handToTargetPod</c>); this is the check that it landed. The target pod is the one the VMI's
/// <c>status.migrationState</c> names for this VMIM (KubeVirt also labels it <c>kubevirt.io/migrationJobUID</c>, reference
/// <c>kubevirt-deviceplugin-helm-facts.md</c> §1); the allocation is what the destination's agent reports from the
/// kubelet's PodResources API in NvmeNode <c>allocatedTo</c> — asynchronously, hence <see cref="Verdict.Pending"/>.
/// </summary>
internal static class TargetPodAllocation
{
    public enum Verdict
    {
        /// <summary>The prepared VF is allocated to the target pod.</summary>
        Verified,

        /// <summary>Not known yet: KubeVirt has not named the target pod, or the agent has not reported its allocation.</summary>
        Pending,

        /// <summary>The prepared VF went to another pod, or the target pod got another VF of the node.</summary>
        OtherVf,
    }

    public static (Verdict Verdict, string Message) Check(
        VirtualMachineInstance? vmi, string vmimUid, V1Alpha1NvmeNode? destinationNode, ResolvedEndpoint destination)
    {
        if (vmi?.Status?.MigrationState is not { TargetPod: { } targetPod } state || state.MigrationUid != vmimUid)
        {
            return (Verdict.Pending, $"KubeVirt has not named the target pod of VMI {vmi?.Metadata.Name} yet");
        }

        var ns = vmi.Metadata.NamespaceProperty ?? "default";
        var prepared = destinationNode is null ? null : NodeInventory.FindSecondary(destinationNode, destination.VfAddress!)?.Secondary;
        var holders = prepared?.AllocatedTo ?? [];
        if (holders.Any(a => IsPod(a, ns, targetPod)))
        {
            return (Verdict.Verified, $"target pod {ns}/{targetPod} holds VF {destination.VfAddress} on {destination.Node}");
        }

        if (holders.FirstOrDefault() is { } other)
        {
            return (Verdict.OtherVf,
                $"VF {destination.VfAddress} on {destination.Node}, prepared for KubeVirt's target pod {ns}/{targetPod}, was allocated to pod {other.Namespace}/{other.Pod}");
        }

        var elsewhere = (destinationNode?.Status?.PhysicalFunctions ?? [])
            .SelectMany(pf => pf.Secondaries ?? [])
            .FirstOrDefault(s => s.VfAddress != destination.VfAddress && (s.AllocatedTo ?? []).Any(a => IsPod(a, ns, targetPod)));
        if (elsewhere is not null)
        {
            return (Verdict.OtherVf,
                $"KubeVirt's target pod {ns}/{targetPod} got VF {elsewhere.VfAddress} on {destination.Node} instead of the prepared VF {destination.VfAddress}");
        }

        return (Verdict.Pending, $"the agent on {destination.Node} has not reported target pod {ns}/{targetPod} holding VF {destination.VfAddress}");
    }

    private static bool IsPod(PodAllocation allocation, string ns, string pod) =>
        allocation.Pod == pod && allocation.Namespace == ns;
}

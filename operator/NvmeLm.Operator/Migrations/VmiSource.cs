using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Resolves <c>spec.vmiName</c> to the source VF (issue 11, DESIGN §4.2): the VMI's node (<c>status.nodeName</c>), its
/// virt-launcher pods there (<c>status.activePods</c>, pod UID → node), and the VFs the device plugin allocated to
/// those pods (NvmeNode status <c>allocatedTo[].podUid</c>). KubeVirt's own verdict comes first: a VMI it will not
/// live-migrate (<c>LiveMigratable=False</c>; reference <c>kubevirt-deviceplugin-helm-facts.md</c> §1: any generic PCI
/// host device up to v1.9) fails here, before anything is written to any NvmeNode.
/// </summary>
internal static class VmiSource
{
    /// <summary>The VF address to migrate, or the outcome that stops validation (Invalid, or Wait for KubeVirt/agent).</summary>
    /// <param name="allocationGraceOver">False: no recorded VF yet means the agent may not have reported it yet, so wait.</param>
    public static (string? VfAddress, ValidationOutcome? Stop) Resolve(
        V1Alpha1NvmeMigration migration, KubeVirtView kubeVirt, Func<string, V1Alpha1NvmeNode?> getNode, bool allocationGraceOver = true)
    {
        var spec = migration.Spec;
        var ns = migration.Metadata.NamespaceProperty ?? "default";
        var name = $"{ns}/{spec.VmiName}";
        if (!kubeVirt.Installed)
        {
            return Stop(new ValidationOutcome.Invalid(FailureReasons.KubeVirtNotInstalled,
                $"vmiName {spec.VmiName} needs KubeVirt, and this cluster does not serve kubevirt.io/v1 VirtualMachineInstances (checked when the operator started); name the VF with source.vfAddress instead."));
        }

        var vmi = kubeVirt.GetVmi(ns, spec.VmiName!);
        if (vmi is null)
        {
            return Stop(new ValidationOutcome.Wait("WaitingForVmi", $"No VirtualMachineInstance {name} (yet)."));
        }

        switch (vmi.LiveMigratable)
        {
            case null:
                return Stop(new ValidationOutcome.Wait("WaitingForVmi", $"KubeVirt has not reported whether VMI {name} is live-migratable yet."));
            case { Status: not "True" } refused:
                return Stop(new ValidationOutcome.Invalid(FailureReasons.VmiNotLiveMigratable,
                    $"KubeVirt will not live-migrate VMI {name}: {refused.Reason ?? "no reason"}: {refused.Message ?? "no message"}. "
                    + "KubeVirt up to v1.9 refuses VMIs with PCI host devices; nothing was changed on any node."));
        }

        if (vmi.Status?.NodeName is not { Length: > 0 } node)
        {
            return Stop(new ValidationOutcome.Wait("WaitingForVmi", $"VMI {name} is not running on a node yet."));
        }

        if (node != spec.Source.Node)
        {
            return Stop(new ValidationOutcome.Invalid(FailureReasons.VmiNotOnSourceNode,
                $"VMI {name} runs on node {node}, not on source.node {spec.Source.Node}."));
        }

        if (getNode(node) is not { } nvmeNode || !NodeInventory.HasInventory(nvmeNode))
        {
            // The validator reports a missing node or inventory with its own reasons.
            return (spec.Source.VfAddress, null);
        }

        var pods = vmi.PodsOn(node).ToHashSet(StringComparer.Ordinal);
        var held = HeldVfs(vmi, nvmeNode);
        if (held.Count == 0 && !allocationGraceOver)
        {
            return Stop(new ValidationOutcome.Wait("WaitingForAllocation",
                $"VMI {name}'s virt-launcher pod(s) on {node} hold no VF the agent has reported yet (it reads the kubelet's PodResources on its poll period); waiting before failing with {FailureReasons.VmiHasNoPoolVf}."));
        }

        if (held.Count == 0)
        {
            return Stop(new ValidationOutcome.Invalid(FailureReasons.VmiHasNoPoolVf,
                $"VMI {name}'s virt-launcher pod(s) on {node} ({(pods.Count == 0 ? "none active" : string.Join(", ", pods.Order(StringComparer.Ordinal)))}) hold no VF of a pool (no allocation recorded by the agent's device plugin)."));
        }

        if (spec.Source.VfAddress is { } named)
        {
            return held.Contains(named, StringComparer.Ordinal)
                ? Checked(spec, named, name)
                : Stop(new ValidationOutcome.Invalid(FailureReasons.VmiVfAmbiguous,
                    $"source.vfAddress {named} is not a VF of VMI {name}; its VFs on {node}: {string.Join(", ", held)}."));
        }

        return held.Count == 1
            ? Checked(spec, held[0], name)
            : Stop(new ValidationOutcome.Invalid(FailureReasons.VmiVfAmbiguous,
                $"VMI {name} holds {held.Count} VFs on {node}: {string.Join(", ", held)}; set source.vfAddress to the one to migrate."));
    }

    /// <summary>The VFs (addresses, ordered) the device plugin allocated to the VMI's virt-launcher pods on <paramref name="nvmeNode"/>.</summary>
    public static List<string> HeldVfs(VirtualMachineInstance vmi, V1Alpha1NvmeNode nvmeNode)
    {
        var pods = vmi.PodsOn(nvmeNode.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        return NodeInventory.Secondaries(nvmeNode)
            .Where(s => s.AllocatedTo?.Any(a => a.PodUid is { } uid && pods.Contains(uid)) == true)
            .Select(s => s.VfAddress!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A VM moves with KubeVirt, and then the VMM moves the device state (Vmm); the agents alone cannot move a VM.</summary>
    private static (string?, ValidationOutcome?) Checked(V1Alpha1NvmeMigration.EntitySpec spec, string vfAddress, string name) =>
        spec.StateTransfer == StateTransferMode.Agent
            ? Stop(new ValidationOutcome.Invalid(FailureReasons.VmiNeedsVmmStateTransfer,
                $"VMI {name} is live-migratable, so KubeVirt moves it and its VMM moves the device state: set stateTransfer: Vmm (Agent moves a controller's state between PFs, not a VM)."))
            : (vfAddress, null);

    private static (string?, ValidationOutcome?) Stop(ValidationOutcome outcome) => (null, outcome);
}

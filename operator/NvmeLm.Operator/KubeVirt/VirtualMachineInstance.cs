using k8s.Models;
using NvmeLm.Api;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// The part of KubeVirt's VirtualMachineInstance the bridge reads: where it runs (<c>status.nodeName</c>), which
/// virt-launcher pods it has (<c>status.activePods</c>: pod UID → node, the key to the device plugin's allocation
/// in NvmeNode status), whether KubeVirt would live-migrate it (condition <c>LiveMigratable</c>), and the host
/// devices it asks for. Unknown fields are ignored on read; the bridge never writes a VMI.
/// </summary>
[KubernetesEntity(Group = KubeVirtApi.Group, ApiVersion = KubeVirtApi.Version, Kind = KindName, PluralName = Plural)]
public sealed class VirtualMachineInstance : CustomResource<VmiSpec, VmiStatus>
{
    public const string KindName = "VirtualMachineInstance";
    public const string Plural = "virtualmachineinstances";

    public VirtualMachineInstance()
        : base(KubeVirtApi.ApiVersion, KindName)
    {
    }

    /// <summary>The VMI's <c>LiveMigratable</c> condition, or null while KubeVirt has not reported it.</summary>
    public VmiCondition? LiveMigratable => Status?.Conditions?.FirstOrDefault(c => c.Type == KubeVirtApi.LiveMigratableCondition);

    /// <summary>UIDs of the VMI's virt-launcher pods on <paramref name="node"/>.</summary>
    public IEnumerable<string> PodsOn(string node) =>
        Status?.ActivePods?.Where(p => p.Value == node).Select(p => p.Key) ?? [];
}

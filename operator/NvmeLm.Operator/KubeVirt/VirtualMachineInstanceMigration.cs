using k8s.Models;
using NvmeLm.Api;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// The part of KubeVirt's VirtualMachineInstanceMigration the bridge creates and follows (reference
/// <c>kubevirt-deviceplugin-helm-facts.md</c> §1): <c>spec.vmiName</c>, <c>spec.addedNodeSelector</c> (pins the
/// target node) and <c>status.phase</c>.
/// </summary>
[KubernetesEntity(Group = KubeVirtApi.Group, ApiVersion = KubeVirtApi.Version, Kind = KindName, PluralName = Plural)]
public sealed class VirtualMachineInstanceMigration : CustomResource<VmimSpec, VmimStatus>
{
    public const string KindName = "VirtualMachineInstanceMigration";
    public const string Plural = "virtualmachineinstancemigrations";

    public VirtualMachineInstanceMigration()
        : base(KubeVirtApi.ApiVersion, KindName)
    {
    }

    /// <summary>The phase, Pending until KubeVirt has reported one.</summary>
    public string Phase => Status?.Phase is { Length: > 0 } phase ? phase : VmimPhases.Pending;
}

using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// The part of KubeVirt's VirtualMachineInstanceMigration the bridge creates and follows (reference
/// <c>kubevirt-deviceplugin-helm-facts.md</c> §1): <c>spec.vmiName</c>, <c>spec.addedNodeSelector</c> (pins the
/// target node) and <c>status.phase</c>.
/// </summary>
[KubernetesEntity(Group = KubeVirtApi.Group, ApiVersion = KubeVirtApi.Version, Kind = KindName, PluralName = Plural)]
public sealed class VirtualMachineInstanceMigration : IKubernetesObject<V1ObjectMeta>
{
    public const string KindName = "VirtualMachineInstanceMigration";
    public const string Plural = "virtualmachineinstancemigrations";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeVirtApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public VmimSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public VmimStatus? Status { get; set; }

    /// <summary>The phase, Pending until KubeVirt has reported one.</summary>
    public string Phase => Status?.Phase is { Length: > 0 } phase ? phase : VmimPhases.Pending;
}

using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>VMIM <c>spec</c>: which VMI, and node labels the target pod must also match.</summary>
public sealed class VmimSpec
{
    [JsonPropertyName("vmiName")]
    public string VmiName { get; set; } = "";

    /// <summary>Added to the target virt-launcher pod's node selector; the bridge pins the destination with <c>kubernetes.io/hostname</c>.</summary>
    [JsonPropertyName("addedNodeSelector")]
    public Dictionary<string, string>? AddedNodeSelector { get; set; }
}

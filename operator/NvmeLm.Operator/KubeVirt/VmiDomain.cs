using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>VMI <c>spec.domain</c>.</summary>
public sealed class VmiDomain
{
    [JsonPropertyName("devices")]
    public VmiDevices Devices { get; set; } = new();
}

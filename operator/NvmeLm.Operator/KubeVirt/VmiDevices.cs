using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>VMI <c>spec.domain.devices</c>.</summary>
public sealed class VmiDevices
{
    [JsonPropertyName("hostDevices")]
    public List<VmiHostDevice>? HostDevices { get; set; }
}

using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>VMI <c>spec</c>, only <c>domain.devices.hostDevices</c> (how a VMI asks for a device-plugin resource).</summary>
public sealed class VmiSpec
{
    [JsonPropertyName("domain")]
    public VmiDomain Domain { get; set; } = new();
}

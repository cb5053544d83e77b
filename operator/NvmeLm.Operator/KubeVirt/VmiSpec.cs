using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>VMI <c>spec</c>, only <c>domain.devices.hostDevices</c> (how a VMI asks for a device-plugin resource).</summary>
public sealed class VmiSpec
{
    [JsonPropertyName("domain")]
    public VmiDomain Domain { get; set; } = new();
}

/// <summary>VMI <c>spec.domain</c>.</summary>
public sealed class VmiDomain
{
    [JsonPropertyName("devices")]
    public VmiDevices Devices { get; set; } = new();
}

/// <summary>VMI <c>spec.domain.devices</c>.</summary>
public sealed class VmiDevices
{
    [JsonPropertyName("hostDevices")]
    public List<VmiHostDevice>? HostDevices { get; set; }
}

/// <summary>One <c>hostDevices[]</c> entry: <c>deviceName</c> is the device plugin's resource name.</summary>
public sealed class VmiHostDevice
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("deviceName")]
    public string DeviceName { get; set; } = "";
}

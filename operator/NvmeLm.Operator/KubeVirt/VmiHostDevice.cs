using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>One <c>hostDevices[]</c> entry: <c>deviceName</c> is the device plugin's resource name.</summary>
public sealed class VmiHostDevice
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("deviceName")]
    public string DeviceName { get; set; } = "";
}

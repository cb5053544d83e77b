using System.Text.Json.Serialization;

namespace NvmeLm.NodeAgent.Output;

/// <summary>
/// One secondary controller. The first six fields are named as <c>nvme list-secondary -o json</c> names them
/// (raw values: <c>secondary-controller-state</c> is SCS, bit 0 = online); the rest is the verified VF mapping.
/// </summary>
public sealed record SecondaryControllerView(
    [property: JsonPropertyName("secondary-controller-identifier")] int Scid,
    [property: JsonPropertyName("primary-controller-identifier")] int Pcid,
    [property: JsonPropertyName("secondary-controller-state")] int Scs,
    [property: JsonPropertyName("virtual-function-number")] int Vfn,
    [property: JsonPropertyName("num-virtual-queues")] int Nvq,
    [property: JsonPropertyName("num-virtual-interrupts")] int Nvi,
    [property: JsonPropertyName("online")] bool Online,
    [property: JsonPropertyName("virtfn")] int Virtfn,
    [property: JsonPropertyName("vfAddress")] string VfAddress,
    [property: JsonPropertyName("vfEnabled")] bool VfEnabled,
    [property: JsonPropertyName("driver")] string? Driver,
    [property: JsonPropertyName("driverOverride")] string? DriverOverride,
    [property: JsonPropertyName("iommuGroup")] int? IommuGroup);

using Microsoft.Extensions.Logging;
using NvmeLm.NodeAgent.DevicePlugin.Protocol.V1Beta1;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>What the gRPC service of one resource works with (a singleton of that resource's server).</summary>
public sealed record ResourcePluginContext(
    ResourceDevices Devices, IDeviceAllocationObserver Observer, Func<string, IReadOnlyList<string>> VfioCdevs, ILogger Logger)
{
    /// <summary>GetPreferredAllocation is implemented; PreStartContainer is not needed (nothing to reset per container).</summary>
    public static DevicePluginOptions Options => new() { PreStartRequired = false, GetPreferredAllocationAvailable = true };
}

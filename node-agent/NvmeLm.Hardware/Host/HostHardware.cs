using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware.Host;

/// <summary>
/// The three seams through which the agent touches a host. Built once at start-up by
/// <c>HardwareFactory</c> (Linux) or the emulated host, and passed to everything above.
/// </summary>
public sealed record HostHardware(IHostFileSystem Files, INvmeAdminDeviceOpener Nvme, IVfioFeatureProbe Vfio);

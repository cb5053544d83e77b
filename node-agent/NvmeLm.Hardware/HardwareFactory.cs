using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Nvme.Linux;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware;

/// <summary>The composition root of the real host's hardware seams (SNO <c>manager.go</c> style).</summary>
public static class HardwareFactory
{
    /// <summary>The Linux host: sysfs/dev/proc under <paramref name="root"/>, NVMe ioctls and VFIO probing on its device nodes.</summary>
    public static HostHardware CreateLinux(string root = "/") =>
        new(new LinuxHostFileSystem(root), new LinuxNvmeAdminDeviceOpener(root), new LinuxVfioFeatureProbe(root));
}

using System.Text;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Interop;
using Tmds.Linux;

namespace NvmeLm.Hardware.Vfio;

/// <summary>
/// Probes a VFIO-bound device for the migration feature (reference §5): open the container and the group,
/// attach the group (<c>VFIO_GROUP_SET_CONTAINER</c>), select TYPE1v2 (<c>VFIO_SET_IOMMU</c>), get the device fd
/// by address (<c>VFIO_GROUP_GET_DEVICE_FD</c>), then <c>VFIO_DEVICE_FEATURE</c> with PROBE|GET on feature 1 and,
/// if present, GET for the flags. ENOTTY/EINVAL from the probe mean "no migration feature" (plain vfio-pci).
/// A group can be open only once: probe before a VMM takes it (EBUSY otherwise). Everything is closed again.
/// </summary>
public sealed class LinuxVfioFeatureProbe : IVfioFeatureProbe
{
    public const string ContainerPath = "/dev/vfio/vfio";

    private readonly HostRoot _root;

    public LinuxVfioFeatureProbe(string root = "/") => _root = new HostRoot(root);

    public unsafe VfioMigrationFlags ProbeMigration(PciAddress device, int iommuGroup)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iommuGroup);
        string groupPath = Pci.SysfsPaths.VfioGroupDevice(iommuGroup);
        using var container = Interop.Interop.Open(ContainerPath, _root.Map(ContainerPath), LibC.O_RDWR);
        using var group = Interop.Interop.Open(groupPath, _root.Map(groupPath), LibC.O_RDWR);

        var status = new VfioGroupStatus { Argsz = VfioGroupStatus.SizeOf };
        Interop.Interop.Ioctl(group, VfioIoctls.GroupGetStatus, &status, groupPath, "VFIO_GROUP_GET_STATUS");
        if ((status.Flags & VfioIoctls.GroupFlagsViable) == 0)
        {
            throw new HostIoException(Errnos.EPERM, groupPath, $"use IOMMU group {iommuGroup} (not viable: bind every device of the group to a VFIO driver)");
        }

        int containerFd = container.Use(fd => fd);
        Interop.Interop.Ioctl(group, VfioIoctls.GroupSetContainer, &containerFd, groupPath, "VFIO_GROUP_SET_CONTAINER");
        Interop.Interop.Ioctl(container, VfioIoctls.SetIommu, (void*)VfioIoctls.Type1v2Iommu, ContainerPath, "VFIO_SET_IOMMU");

        byte[] name = Encoding.ASCII.GetBytes(device + "\0");
        int deviceFd;
        fixed (byte* namePtr = name)
        {
            deviceFd = Interop.Interop.Ioctl(group, VfioIoctls.GroupGetDeviceFd, namePtr, groupPath, "VFIO_GROUP_GET_DEVICE_FD " + device);
        }

        using var deviceHandle = new FileDescriptorHandle(deviceFd);
        var probe = VfioDeviceFeatureMigration.Create(VfioDeviceFeatureMigration.FeatureProbe | VfioDeviceFeatureMigration.FeatureGet);
        try
        {
            Interop.Interop.Ioctl(deviceHandle, VfioIoctls.DeviceFeature, &probe, groupPath, "VFIO_DEVICE_FEATURE PROBE|GET MIGRATION " + device);
        }
        catch (HostIoException ex) when (ex.Errno is Errnos.ENOTTY or Errnos.EINVAL)
        {
            return VfioMigrationFlags.None;
        }

        var get = VfioDeviceFeatureMigration.Create(VfioDeviceFeatureMigration.FeatureGet);
        Interop.Interop.Ioctl(deviceHandle, VfioIoctls.DeviceFeature, &get, groupPath, "VFIO_DEVICE_FEATURE GET MIGRATION " + device);
        return (VfioMigrationFlags)get.MigrationFlags;
    }
}

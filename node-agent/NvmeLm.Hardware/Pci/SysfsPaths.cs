using System.Globalization;

namespace NvmeLm.Hardware.Pci;

/// <summary>
/// Host paths and attribute names of the PCI/SR-IOV sysfs ABI (reference §1). Paths are built only from
/// validated <see cref="PciAddress"/> values, validated driver names and integers.
/// </summary>
public static class SysfsPaths
{
    public const string SysBusPciDevices = "/sys/bus/pci/devices";
    public const string SysBusPciDrivers = "/sys/bus/pci/drivers";
    public const string DevVfio = "/dev/vfio";

    /// <summary>Where the iommufd VFIO cdevs are (<c>/dev/vfio/devices/vfioN</c>).</summary>
    public const string DevVfioDevices = "/dev/vfio/devices";

    /// <summary>A VFIO-bound device's directory of its cdev names (<c>vfio-dev/vfioN</c>).</summary>
    public const string VfioDevDirectory = "vfio-dev";
    public const string ProcMounts = "/proc/mounts";

    public const string ClassFile = "class";
    public const string VendorFile = "vendor";
    public const string DeviceFile = "device";
    public const string SriovTotalVfsFile = "sriov_totalvfs";
    public const string SriovNumVfsFile = "sriov_numvfs";
    public const string SriovOffsetFile = "sriov_offset";
    public const string SriovStrideFile = "sriov_stride";
    public const string SriovVfDeviceFile = "sriov_vf_device";
    public const string SriovDriversAutoprobeFile = "sriov_drivers_autoprobe";
    public const string DriverOverrideFile = "driver_override";
    public const string DriverLink = "driver";
    public const string IommuGroupLink = "iommu_group";
    public const string PhysFnLink = "physfn";
    public const string VirtFnLinkPrefix = "virtfn";
    /// <summary>Directory under an NVMe PCI function holding its controller, e.g. <c>nvme/nvme0</c>.</summary>
    public const string NvmeClassDirectory = "nvme";
    public const string BindFile = "bind";
    public const string UnbindFile = "unbind";

    /// <summary>PCI class 01h/08h/02h: mass storage, non-volatile memory, NVMe.</summary>
    public const uint NvmeClassCode = 0x010802;

    public static string Device(PciAddress address) => $"{SysBusPciDevices}/{address}";

    public static string DeviceAttribute(PciAddress address, string attribute) => $"{SysBusPciDevices}/{address}/{attribute}";

    public static string VirtFnLink(PciAddress pf, int index) =>
        DeviceAttribute(pf, VirtFnLinkPrefix + index.ToString(CultureInfo.InvariantCulture));

    public static string DriverFile(string driver, string file) => $"{SysBusPciDrivers}/{DriverName.Validate(driver)}/{file}";

    public static string VfioGroupDevice(int group) => $"{DevVfio}/{group.ToString(CultureInfo.InvariantCulture)}";
}

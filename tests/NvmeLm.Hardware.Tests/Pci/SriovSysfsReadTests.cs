using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Tests.Fakes;

namespace NvmeLm.Hardware.Tests.Pci;

/// <summary>SriovSysfs reading a tree laid out like the QEMU lab guest (reference qemu-nvme-sriov-lab "What the guest saw").</summary>
public sealed class SriovSysfsReadTests : IDisposable
{
    private static readonly PciAddress s_pf = PciAddress.Parse("0000:01:00.0");
    private static readonly PciAddress s_vf0 = PciAddress.Parse("0000:01:00.1");
    private readonly FakeSysfs _sysfs = new();
    private readonly SriovSysfs _sriov;

    public SriovSysfsReadTests()
    {
        _sysfs.Driver("nvme").Driver("vfio-pci");
        _sysfs.Device("0000:01:00.0").Identity("0x1b36", "0x0010", "0x010802").Sriov(total: 4, numVfs: 2, autoprobe: 0)
            .Driver("nvme").File("driver_override", "(null)\n").IommuGroup(5).Directory("nvme/nvme0/nvme0n1").Directory("nvme/nvme0/nvme0c0n2")
            .Symlink("virtfn0", "../0000:01:00.1").Symlink("virtfn1", "../0000:01:00.2").Symlink("virtfn10", "../0000:01:00.3");
        _sysfs.Device("0000:01:00.1").Identity("0x1b36", "0x0010", "0x010802").Symlink("physfn", "../0000:01:00.0").IommuGroup(6)
            .Driver("vfio-pci").File("driver_override", "vfio-pci\n");
        _sysfs.Device("0000:01:00.2").Identity("0x1b36", "0x0010", "0x010802").Symlink("physfn", "../0000:01:00.0").IommuGroup(7);
        _sysfs.Device("0000:01:00.3").Identity("0x1b36", "0x0010", "0x010802").Symlink("physfn", "../0000:01:00.0");
        _sysfs.Device("0000:00:1f.2").Identity("0x8086", "0x2922", "0x010601");              // AHCI, not NVMe
        _sysfs.Device("0000:02:00.0").Identity("0x144d", "0xa808", "0x010802");              // NVMe without SR-IOV
        _sysfs.File("/sys/bus/pci/devices/not-an-address", "ignored");
        _sysfs.File("/dev/vfio/6", string.Empty);
        _sriov = new SriovSysfs(new LinuxHostFileSystem(_sysfs.Root));
    }

    public void Dispose() => _sysfs.Dispose();

    [Fact]
    public void ListDevices_Should_IgnoreEntriesThatAreNotAddresses() =>
        Assert.Equal(new[] { "0000:00:1f.2", "0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3", "0000:02:00.0" },
            _sriov.ListDevices().Select(a => a.ToString()));

    [Fact]
    public void DiscoverNvmePhysicalFunctions_Should_FindOnlyNvmeClassWithTotalVfs()
    {
        var pf = Assert.Single(_sriov.DiscoverNvmePhysicalFunctions());
        Assert.Equal(s_pf, pf.Function.Address);
        Assert.Equal(new PciFunction(s_pf, 0x1b36, 0x0010, 0x010802, "nvme", null, 5), pf.Function);
        Assert.Equal(new SriovState(4, 2, 1, 1, 0x10, false), pf.Sriov);
        Assert.Equal("/dev/nvme0", pf.ControllerDevice);
    }

    [Fact]
    public void ReadVirtualFunctions_Should_ResolveLinksInNumericOrder() =>
        Assert.Equal(
            new[] { new VirtualFunctionLink(0, s_vf0), new VirtualFunctionLink(1, PciAddress.Parse("0000:01:00.2")), new VirtualFunctionLink(10, PciAddress.Parse("0000:01:00.3")) },
            _sriov.ReadVirtualFunctions(s_pf));

    [Fact]
    public void ReadFunction_Should_ReadDriverOverrideAndGroup_OfVf() =>
        Assert.Equal(new PciFunction(s_vf0, 0x1b36, 0x0010, 0x010802, "vfio-pci", "vfio-pci", 6), _sriov.ReadFunction(s_vf0));

    [Fact]
    public void ReadFunction_Should_ReportNoDriverAndNoGroup_When_LinksAbsent()
    {
        var vf = _sriov.ReadFunction(PciAddress.Parse("0000:01:00.3"));
        Assert.Null(vf.Driver);
        Assert.Null(vf.DriverOverride);
        Assert.Null(vf.IommuGroup);
    }

    [Fact]
    public void ReadPhysicalFunctionOf_Should_FollowPhysfn_And_BeNullForPf()
    {
        Assert.Equal(s_pf, _sriov.ReadPhysicalFunctionOf(s_vf0));
        Assert.Null(_sriov.ReadPhysicalFunctionOf(s_pf));
    }

    [Fact]
    public void VfioGroupDeviceExists_Should_CheckDevVfio()
    {
        Assert.True(_sriov.VfioGroupDeviceExists(6));
        Assert.False(_sriov.VfioGroupDeviceExists(7));
    }

    [Fact]
    public void ReadFunction_Should_ThrowNoSuchDevice_When_AddressUnknown()
    {
        var ex = Assert.Throws<SysfsRuleException>(() => _sriov.ReadFunction(PciAddress.Parse("0000:09:00.0")));
        Assert.Equal(SysfsRuleReason.NoSuchDevice, ex.Reason);
    }

    [Fact]
    public void ReadNamespaceBlockDevices_Should_MapMultipathPathNodesToHeads() =>
        Assert.Equal(new[] { "nvme0n1", "nvme0n2" }, _sriov.ReadNamespaceBlockDevices(s_pf));

    [Fact]
    public void FindMountedNamespaces_Should_FindPartitionsAndByUuidLinks()
    {
        _sysfs.File("/proc/mounts",
            "/dev/nvme0n1p2 /data ext4 rw 0 0\n" +
            "/dev/disk/by-uuid/abcd /backup xfs rw 0 0\n" +
            "/dev/nvme0n10 /other ext4 rw 0 0\n" +     // a different namespace, not a partition of nvme0n1
            "/dev/nvme1n1 /x ext4 rw 0 0\n" +
            "tmpfs /tmp tmpfs rw 0 0\n");
        _sysfs.Symlink("/dev/disk/by-uuid/abcd", "../../nvme0n2");

        var mounts = _sriov.FindMountedNamespaces(s_pf);

        Assert.Equal(new[] { "/data", "/backup" }, mounts.Select(m => m.MountPoint));
    }

    [Fact]
    public void FindMountedNamespaces_Should_BeEmpty_When_NoController()
    {
        // A VF without an nvme driver has no namespaces; /proc/mounts is not even needed.
        Assert.Empty(_sriov.FindMountedNamespaces(s_vf0));
    }

    [Theory]
    [InlineData("nvme0n1", "nvme0n1", true)]
    [InlineData("nvme0n1p12", "nvme0n1", true)]
    [InlineData("nvme0n12", "nvme0n1", false)]
    [InlineData("nvme0n1p", "nvme0n1", false)]
    [InlineData("nvme0n1px", "nvme0n1", false)]
    public void IsDeviceOrPartition_Should_MatchOnlyDeviceAndItsPartitions(string name, string device, bool expected) =>
        Assert.Equal(expected, SriovSysfs.IsDeviceOrPartition(name, device));
}

using NvmeLm.Hardware.Emulated;
using static NvmeLm.Hardware.Tests.Emulated.EmulatedTestHosts;

namespace NvmeLm.Hardware.Tests.Emulated;

/// <summary>The sysfs/dev/proc layout and attribute formats (reference §1, lab "What the guest saw").</summary>
public sealed class EmulatedTreeTests
{
    [Fact]
    public void PfAttributes_UseKernelFormats()
    {
        var host = Create();
        Assert.Equal("0x010802\n", host.ReadAllText(Dev(Pf0, "class")));
        Assert.Equal("0x1b36\n", host.ReadAllText(Dev(Pf0, "vendor")));
        Assert.Equal("0x0010\n", host.ReadAllText(Dev(Pf0, "device")));
        Assert.Equal("4\n", host.ReadAllText(Dev(Pf0, "sriov_totalvfs")));
        Assert.Equal("1\n", host.ReadAllText(Dev(Pf0, "sriov_offset")));
        Assert.Equal("1\n", host.ReadAllText(Dev(Pf0, "sriov_stride")));
        Assert.Equal("10\n", host.ReadAllText(Dev(Pf0, "sriov_vf_device")));
        Assert.Equal("1\n", host.ReadAllText(Dev(Pf0, "sriov_drivers_autoprobe")));
    }

    [Fact]
    public void Links_AreRelativeKernelStyleAndResolvable()
    {
        var host = Create();
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        Assert.Equal("../../../devices/pci0000:01/0000:01:00.0", host.ReadLink("/sys/bus/pci/devices/" + Pf0));
        Assert.Equal("../0000:01:00.1", host.ReadLink(Dev(Pf0, "virtfn0")));
        Assert.Equal("../0000:01:00.0", host.ReadLink(Dev("0000:01:00.1", "physfn")));
        Assert.StartsWith("../../../kernel/iommu_groups/", host.ReadLink(Dev(Pf0, "iommu_group")));
        Assert.Equal("0x010802\n", host.ReadAllText(Dev(Pf0, "virtfn0/physfn/class")));
        Assert.Contains("bind", host.ListDirectory(Dev(Pf0, "driver")));
        Assert.Equal(["nvme0"], host.ListDirectory(Dev(Pf0, "nvme")));
        Assert.True(host.Exists("/dev/nvme0"));
        Assert.True(host.Exists("/dev/nvme0n1"));
    }

    [Fact]
    public void Paths_ResolveLikeTheVfs_DotsSlashesAndLinksAnywhere()
    {
        var host = Create();
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        string busPf = "/sys/bus/pci/devices/" + Pf0;

        // Repeated and trailing slashes, "." and "..", and a link as an inner component (followed).
        Assert.Equal("0x010802\n", host.ReadAllText("//sys/./bus/pci//devices/" + Pf0 + "/class"));
        Assert.Equal("0x010802\n", host.ReadAllText(busPf + "/../" + Pf0 + "/class"));
        Assert.Equal("0x010802\n", host.ReadAllText(busPf + "/virtfn0/physfn/virtfn0/physfn/class"));
        Assert.True(host.Exists(busPf + "/"));
        // ".." after a followed link leaves the link's target, as in the kernel: /sys/devices/pci0000:01, not /sys/bus/pci/devices.
        Assert.Contains("0000:01:00.1", host.ListDirectory(busPf + "/.."));
        // The last component: read follows the link, readlink does not.
        Assert.Equal("../../../devices/pci0000:01/0000:01:00.0", host.ReadLink(busPf));
        Assert.Equal("../0000:01:00.0", host.ReadLink(busPf + "/virtfn0/physfn"));
        Assert.Null(host.ReadLink("/sys/devices/pci0000:01/" + Pf0));
        // A file in the middle of a path, a relative path, an empty one.
        Assert.Equal(20 /* ENOTDIR */, Errno(() => host.ReadAllText(Dev(Pf0, "class/more"))));
        Assert.Equal(Errnos.ENOENT, Errno(() => host.ReadAllText("sys/bus/pci/devices/" + Pf0 + "/class")));
        Assert.Equal(Errnos.ENOENT, Errno(() => host.ReadAllText("")));
    }

    [Fact]
    public void ReadOnlyAndWriteOnlyAttributes_FailWithEaccesAndMissingPathsWithEnoent()
    {
        var host = Create();
        Assert.Equal(Errnos.EACCES, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_totalvfs"), "8")));
        Assert.Equal(Errnos.EACCES, Errno(() => host.ReadAllText("/sys/bus/pci/drivers/nvme/bind")));
        Assert.Equal(Errnos.ENOENT, Errno(() => host.ReadAllText(Dev(Pf0, "no_such_attribute"))));
        Assert.Equal(Errnos.ENOENT, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/nope/bind", Pf0)));
        Assert.Equal(Errnos.ENOENT, Errno(() => host.ListDirectory("/sys/bus/pci/devices/0000:07:00.0")));
        Assert.Null(host.ReadLink(Dev(Pf0, "class")));
    }

    [Fact]
    public void DeviceDirectory_ListsExactlyTheAttributesAReadFinds()
    {
        // A read looks one attribute up by name; the listing is built from the same names: the two must agree.
        var host = Create();
        host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0");
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2");
        const string vf = "0000:01:00.1";
        string[] pfListing = [.. host.ListDirectory(Dev(Pf0, ""))];
        string[] vfListing = [.. host.ListDirectory(Dev(vf, ""))];

        Assert.Equal(
            ["class", "device", "driver", "driver_override", "iommu_group", "nvme", "reset", "sriov_drivers_autoprobe", "sriov_numvfs",
             "sriov_offset", "sriov_stride", "sriov_totalvfs", "sriov_vf_device", "vendor", "virtfn0", "virtfn1"],
            pfListing);
        Assert.Equal(["class", "device", "driver_override", "iommu_group", "physfn", "reset", "vendor"], vfListing);
        foreach (string name in pfListing.Select(n => Dev(Pf0, n)).Concat(vfListing.Select(n => Dev(vf, n))))
        {
            Assert.True(host.Exists(name), name);
        }

        // Names the kernel has only for another kind of function, or not at all.
        foreach (string missing in new[] { Dev(Pf0, "physfn"), Dev(Pf0, "virtfn2"), Dev(Pf0, "virtfn01"), Dev(Pf0, "virtfn"),
                     Dev(vf, "sriov_numvfs"), Dev(vf, "virtfn0"), Dev(vf, "driver"), Dev(vf, "nvme") })
        {
            Assert.False(host.Exists(missing), missing);
            Assert.Equal(Errnos.ENOENT, Errno(() => host.ReadAllText(missing)));
        }
    }

    [Fact]
    public void ProcMounts_ListsConfiguredAndRuntimeMounts()
    {
        var host = new EmulatedHost(new EmulatedHostConfig { PhysicalFunctions = [Pf()], Mounts = [new EmulatedMountConfig { Source = "/dev/nvme0n1", Target = "/data" }] });
        host.Mount("/dev/nvme0n1", "/scratch", "xfs");
        string mounts = host.ReadAllText("/proc/mounts");
        Assert.Contains("/dev/nvme0n1 /data ext4 rw,relatime 0 0\n", mounts);
        Assert.Contains("/dev/nvme0n1 /scratch xfs rw,relatime 0 0\n", mounts);
        host.Unmount("/scratch");
        Assert.DoesNotContain("/scratch", host.ReadAllText("/proc/mounts"));
    }

    [Fact]
    public void OpenDevice_AppearsAsProcFdLinkUntilClosed()
    {
        var host = Create();
        int fd = host.OpenDeviceAs(4242, "/dev/nvme0");
        Assert.Equal("/dev/nvme0", host.ReadLink($"/proc/4242/fd/{fd}"));
        host.CloseDevice(4242, fd);
        Assert.DoesNotContain("4242", host.ListDirectory("/proc"));
    }

    [Fact]
    public void Open_MissingNvmeDevice_FailsWithEnoent()
    {
        var host = Create();
        Assert.Equal(Errnos.ENOENT, Errno(() => host.Open("/dev/nvme7")));
    }
}

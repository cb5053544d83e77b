using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Vfio;
using static NvmeLm.Hardware.Tests.Emulated.EmulatedTestHosts;

namespace NvmeLm.Hardware.Tests.Emulated;

/// <summary>Driver core rules (reference §1: driver_override, bind/unbind, drivers_probe) and QEMU's offline-VF probe failure (§6).</summary>
public sealed class EmulatedBindingTests
{
    private const string Vf0 = "0000:01:00.1";

    private static EmulatedHost HostWithVfs(bool autoprobe = false)
    {
        var host = Create();
        host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), autoprobe ? "1" : "0");
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2");
        return host;
    }

    [Fact]
    public void Bind_WithOverride_BindsVfioAndCreatesGroupNode()
    {
        var host = HostWithVfs();
        host.WriteAllText(Dev(Vf0, "driver_override"), "vfio-pci\n");
        host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", Vf0);

        Assert.Equal("../../../bus/pci/drivers/vfio-pci", host.ReadLink(Dev(Vf0, "driver")));
        string group = host.ReadLink(Dev(Vf0, "iommu_group"))!.Split('/')[^1];
        Assert.True(host.Exists("/dev/vfio/" + group));
        Assert.True(host.Exists("/dev/vfio/vfio"));
        Assert.Contains(Vf0, host.ListDirectory("/sys/bus/pci/drivers/vfio-pci"));
        Assert.Contains(Vf0, host.ListDirectory($"/sys/kernel/iommu_groups/{group}/devices"));
    }

    [Fact]
    public void Bind_AlreadyBoundDevice_FailsWithEbusy()
    {
        var host = HostWithVfs();
        host.WriteAllText(Dev(Vf0, "driver_override"), "vfio-pci");
        host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", Vf0);
        Assert.Equal(Errnos.EBUSY, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", Vf0)));
    }

    [Fact]
    public void Bind_DriverNotMatchingOverride_FailsWithEnodev()
    {
        var host = HostWithVfs();
        host.WriteAllText(Dev(Vf0, "driver_override"), "vfio-pci");
        Assert.Equal(Errnos.ENODEV, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/nvme/bind", Vf0)));
        Assert.False(host.Exists(Dev(Vf0, "driver")));
    }

    [Fact]
    public void Bind_VfioWithoutOverride_FailsWithEnodevBecauseVfioPciHasNoIdTable()
    {
        var host = HostWithVfs(autoprobe: true);
        Assert.Equal(Errnos.ENODEV, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", Vf0)));
    }

    [Fact]
    public void Bind_UnknownDevice_FailsWithEnodev()
    {
        var host = HostWithVfs();
        Assert.Equal(Errnos.ENODEV, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", "0000:09:00.0")));
    }

    [Fact]
    public void Unbind_DeviceNotBoundToThatDriver_FailsWithEnodev()
    {
        var host = HostWithVfs();
        Assert.Equal(Errnos.ENODEV, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/unbind", Pf0)));
        Assert.True(host.Exists(Dev(Pf0, "driver")));
    }

    [Fact]
    public void Unbind_BoundVfio_RemovesGroupNode()
    {
        var host = HostWithVfs();
        host.WriteAllText(Dev(Vf0, "driver_override"), "vfio-pci");
        host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", Vf0);
        string group = host.ReadLink(Dev(Vf0, "iommu_group"))!.Split('/')[^1];
        host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/unbind", Vf0);
        Assert.False(host.Exists("/dev/vfio/" + group));
        Assert.False(host.Exists(Dev(Vf0, "driver")));
    }

    [Fact]
    public void DriverOverride_ReadsNullWhenUnsetAndClearsOnEmptyOrNul()
    {
        var host = HostWithVfs();
        Assert.Equal("(null)\n", host.ReadAllText(Dev(Vf0, "driver_override")));
        host.WriteAllText(Dev(Vf0, "driver_override"), "vfio-pci");
        Assert.Equal("vfio-pci\n", host.ReadAllText(Dev(Vf0, "driver_override")));
        host.WriteAllText(Dev(Vf0, "driver_override"), "\0\n");
        Assert.Equal("(null)\n", host.ReadAllText(Dev(Vf0, "driver_override")));
    }

    [Fact]
    public void Autoprobe_VfWhoseSecondaryIsOffline_StaysWithoutDriver()
    {
        var host = HostWithVfs(autoprobe: true);
        Assert.False(host.Exists(Dev(Vf0, "driver")));
        Assert.False(host.Exists("/dev/nvme1"));
    }

    [Fact]
    public void DriversProbe_OnlineSecondaryWithNvmeOverride_BindsNvmeAndCreatesController()
    {
        var host = HostWithVfs();
        AssignAndOnline(Client(host), 2);
        string vf1 = "0000:01:00.2";
        host.WriteAllText(Dev(vf1, "driver_override"), "nvme");
        host.WriteAllText("/sys/bus/pci/drivers_probe", vf1);

        Assert.Equal("../../../bus/pci/drivers/nvme", host.ReadLink(Dev(vf1, "driver")));
        Assert.True(host.Exists("/dev/nvme1"));
        Assert.Equal(["nvme1"], host.ListDirectory(Dev(vf1, "nvme")));
        Assert.True(Client(host, 1).IdentifyController().IsSriovVirtualFunction);
    }

    [Fact]
    public void DriversProbe_OfflineSecondary_SucceedsButLeavesVfUnbound()
    {
        var host = HostWithVfs();
        host.WriteAllText(Dev(Vf0, "driver_override"), "nvme");
        host.WriteAllText("/sys/bus/pci/drivers_probe", Vf0);
        Assert.False(host.Exists(Dev(Vf0, "driver")));
    }

    [Fact]
    public void Bind_NvmeOnOfflineSecondary_FailsWithEnodevLikeCstsCfs()
    {
        var host = HostWithVfs();
        host.WriteAllText(Dev(Vf0, "driver_override"), "nvme");
        Assert.Equal(Errnos.ENODEV, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/nvme/bind", Vf0)));
    }

    [Fact]
    public void Bind_VfWithAutoprobeOffAndNoOverride_FailsWithEnodev()
    {
        var host = HostWithVfs();
        AssignAndOnline(Client(host), 1);
        Assert.Equal(Errnos.ENODEV, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/nvme/bind", Vf0)));
    }

    [Fact]
    public void Bind_VfioWithoutIommu_FailsWithEinval()
    {
        var host = new EmulatedHost(new EmulatedHostConfig { PhysicalFunctions = [Pf()], Iommu = false });
        host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0");
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        host.WriteAllText(Dev(Vf0, "driver_override"), "vfio-pci");
        Assert.Equal(Errnos.EINVAL, Errno(() => host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", Vf0)));
        Assert.False(host.Exists(Dev(Vf0, "iommu_group")));
    }

    [Fact]
    public void VfioProbe_ReportsVariantFlagsNoneForPlainVfioAndEnodevWhenNotVfio()
    {
        var host = HostWithVfs();
        var probe = host.CreateHardware().Vfio;
        string vf1 = "0000:01:00.2";
        host.WriteAllText(Dev(Vf0, "driver_override"), "vfio-pci");
        host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", Vf0);
        host.WriteAllText(Dev(vf1, "driver_override"), VariantDriver);
        host.WriteAllText($"/sys/bus/pci/drivers/{VariantDriver}/bind", vf1);
        int Group(string bdf) => int.Parse(host.ReadLink(Dev(bdf, "iommu_group"))!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(VfioMigrationFlags.None, probe.ProbeMigration(PciAddress.Parse(Vf0), Group(Vf0)));
        Assert.Equal(VfioMigrationFlags.StopCopy | VfioMigrationFlags.P2P, probe.ProbeMigration(PciAddress.Parse(vf1), Group(vf1)));
        Assert.Equal(Errnos.ENODEV, Errno(() => probe.ProbeMigration(PciAddress.Parse(Pf0), Group(Pf0))));
        Assert.Equal(Errnos.ENOENT, Errno(() => probe.ProbeMigration(PciAddress.Parse("0000:01:00.4"), 1)));
    }
}

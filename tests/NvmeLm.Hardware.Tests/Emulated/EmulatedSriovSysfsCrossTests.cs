using NvmeLm.Hardware.Pci;
using static NvmeLm.Hardware.Tests.Emulated.EmulatedTestHosts;

namespace NvmeLm.Hardware.Tests.Emulated;

/// <summary>Slot a's SriovSysfs (the code that runs on real hosts) driving the emulated host through IHostFileSystem.</summary>
public sealed class EmulatedSriovSysfsCrossTests
{
    [Fact]
    public void Discover_FindsBothEmulatedPfs()
    {
        var sysfs = new SriovSysfs(CreateMigrationPair());
        Assert.Equal([PciAddress.Parse(Pf0), PciAddress.Parse(Pf1)], sysfs.DiscoverNvmePhysicalFunctions().Select(p => p.Function.Address).Order());
    }

    [Fact]
    public void SetNumVfs_ChangingNonZeroCount_WritesZeroFirstAndLinksMatchOffsetStride()
    {
        var host = Create();
        var sysfs = new SriovSysfs(host);
        var pf = PciAddress.Parse(Pf0);
        sysfs.SetDriversAutoprobe(pf, false);
        Assert.True(sysfs.SetNumVfs(pf, 2));
        Assert.True(sysfs.SetNumVfs(pf, 3));
        Assert.False(sysfs.SetNumVfs(pf, 3));

        Assert.Equal(3, sysfs.ReadSriov(pf).NumVfs);
        Assert.Equal(["0000:01:00.1", "0000:01:00.2", "0000:01:00.3"], sysfs.ReadVirtualFunctions(pf).Select(v => v.Address.ToString()));
        Assert.Equal(["2", "0", "3"], host.WriteLog.Changes.Where(r => r.Target.EndsWith("sriov_numvfs", StringComparison.Ordinal)).Select(r => r.Value));
    }

    [Fact]
    public void BindDriver_Vfio_GivesGroupNodeAndPhysfnMapsBack()
    {
        var host = Create();
        var sysfs = new SriovSysfs(host);
        var pf = PciAddress.Parse(Pf0);
        sysfs.SetDriversAutoprobe(pf, false);
        sysfs.SetNumVfs(pf, 1);
        var vf = sysfs.ReadVirtualFunctions(pf)[0].Address;

        var result = sysfs.BindDriver(vf, "vfio-pci");

        Assert.True(result.Changed);
        Assert.Equal("vfio-pci", sysfs.ReadDriver(vf));
        Assert.True(sysfs.VfioGroupDeviceExists(result.IommuGroup!.Value));
        Assert.Equal(pf, sysfs.ReadPhysicalFunctionOf(vf));
    }

    [Fact]
    public void SetNumVfs_PfWithoutDriver_IsANamedRuleError()
    {
        var host = Create();
        host.WriteAllText("/sys/bus/pci/drivers/nvme/unbind", Pf0);
        Assert.ThrowsAny<NvmeLmException>(() => new SriovSysfs(host).SetNumVfs(PciAddress.Parse(Pf0), 2));
        Assert.Equal(0, host.PhysicalFunctions[0].NumVfs);
    }
}

using NvmeLm.Hardware.Emulated;
using static NvmeLm.Hardware.Tests.Emulated.EmulatedTestHosts;

namespace NvmeLm.Hardware.Tests.Emulated;

/// <summary>iov.c sriov_numvfs_store rules (reference §1) and QEMU's reset of secondaries (reference §6).</summary>
public sealed class EmulatedNumVfsTests
{
    [Fact]
    public void NumVfs_AboveTotal_FailsWithErangeAndChangesNothing()
    {
        var host = Create();
        Assert.Equal(Errnos.ERANGE, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "5")));
        Assert.Equal("0\n", host.ReadAllText(Dev(Pf0, "sriov_numvfs")));
    }

    [Fact]
    public void NumVfs_NonZeroToDifferentNonZero_FailsWithEbusy()
    {
        var host = Create();
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2");
        Assert.Equal(Errnos.EBUSY, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "3")));
        Assert.Equal("2\n", host.ReadAllText(Dev(Pf0, "sriov_numvfs")));
    }

    [Fact]
    public void NumVfs_SameValue_IsNoOpEvenWithoutDriver()
    {
        var host = new EmulatedHost(Config(Pf() with { Driver = null }));
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "0");
        Assert.False(host.WriteLog.Records.Single().Changed);
    }

    [Fact]
    public void NumVfs_PfWithoutDriver_FailsWithEnoent()
    {
        var host = Create();
        host.WriteAllText("/sys/bus/pci/drivers/nvme/unbind", Pf0);
        Assert.Equal(Errnos.ENOENT, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2")));
    }

    [Theory]
    [InlineData("2\n", 2)]
    [InlineData("0x3", 3)]
    [InlineData("04", 4)]
    public void NumVfs_KernelNumberForms_AreAccepted(string written, int expected)
    {
        var host = Create();
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), written);
        Assert.Equal(expected, host.PhysicalFunctions[0].NumVfs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two")]
    [InlineData("-1")]
    [InlineData("09")]
    public void NumVfs_Garbage_FailsWithEinval(string written)
    {
        var host = Create();
        Assert.Equal(Errnos.EINVAL, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_numvfs"), written)));
    }

    [Fact]
    public void NumVfs_Enable_CreatesVfsAtOffsetAndStrideWithOwnIommuGroups()
    {
        var host = new EmulatedHost(Config(Pf() with { VfOffset = 2, VfStride = 2 }));
        host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0");
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2");

        Assert.Equal("../0000:01:00.2", host.ReadLink(Dev(Pf0, "virtfn0")));
        Assert.Equal("../0000:01:00.4", host.ReadLink(Dev(Pf0, "virtfn1")));
        var groups = new[] { Pf0, "0000:01:00.2", "0000:01:00.4" }.Select(b => host.ReadLink(Dev(b, "iommu_group"))).ToArray();
        Assert.Equal(3, groups.Distinct().Count());
        Assert.False(host.Exists(Dev("0000:01:00.2", "driver")));
    }

    [Fact]
    public void NumVfs_Zero_RemovesVfsAndResetsSecondariesToOfflineWithoutResources()
    {
        var host = Create();
        var client = Client(host);
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2");
        AssignAndOnline(client, 1);
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "0");

        Assert.False(host.Exists(Dev(Pf0, "virtfn0")));
        Assert.False(host.Exists("/sys/bus/pci/devices/0000:01:00.1"));
        var secondary = client.ListSecondaryControllers()[0];
        Assert.False(secondary.Online);
        Assert.Equal(0, secondary.QueueResources);
        Assert.Equal(0, secondary.InterruptResources);
    }
}

using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;
using static NvmeLm.Hardware.Nvme.VirtualizationManagementFields;
using static NvmeLm.Hardware.Tests.Emulated.EmulatedTestHosts;

namespace NvmeLm.Hardware.Tests.Emulated;

/// <summary>Identify and Virtualization Management as measured on QEMU 7.2 (lab "Order semantics"), through slot a's NvmeAdminClient.</summary>
public sealed class EmulatedVirtualizationTests
{
    [Fact]
    public void IdentifyController_ReportsConfiguredIdentityAndOacsBits()
    {
        var host = Create(Pf(liveMigration: true), Pf(Pf1, totalVfs: 0, instance: 1));
        var lm = Client(host).IdentifyController();
        var plain = Client(host, 1).IdentifyController();
        Assert.True(lm.SupportsVirtualizationManagement);
        Assert.True(lm.SupportsHostManagedLiveMigration);
        Assert.Equal("EMU0001", lm.SerialNumber);
        Assert.False(plain.SupportsVirtualizationManagement);
        Assert.False(plain.SupportsHostManagedLiveMigration);
    }

    [Fact]
    public void Secondaries_ExistBeforeVfsAreEnabledAndMapScidToVfn()
    {
        var list = Client(Create()).ListSecondaryControllers();
        Assert.Equal([1, 2, 3, 4], list.Select(s => (int)s.ControllerId));
        Assert.Equal([1, 2, 3, 4], list.Select(s => (int)s.VirtualFunctionNumber));
        Assert.All(list, s => Assert.False(s.Online));
    }

    [Fact]
    public void Assign_BeforeVfExists_SucceedsAndReturnsNrm()
    {
        var client = Client(Create());
        Assert.Equal(2u, client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 2));
        Assert.Equal(1u, client.VirtualizationManagement(ActSecondaryAssign, ResourceVi, 1, 1));
        var caps = client.PrimaryControllerCapabilities();
        Assert.Equal(2u, caps.VqFlexibleAssigned);
        Assert.Equal(1u, caps.ViFlexibleAssigned);
    }

    [Fact]
    public void Online_BeforeVfExists_Fails0x4120()
    {
        var client = Client(Create());
        client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 2);
        client.VirtualizationManagement(ActSecondaryAssign, ResourceVi, 1, 1);
        var error = Assert.Throws<NvmeCommandException>(() => client.VirtualizationManagement(ActSecondaryOnline, ResourceVq, 1, 0));
        Assert.Equal(0x4120, error.Status.Raw);
    }

    [Fact]
    public void Online_WithoutResources_Fails0x4120()
    {
        var host = Create();
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        Assert.Equal(NvmeStatusCode.InvalidSecondaryControllerState, Status(() => Client(host).VirtualizationManagement(ActSecondaryOnline, ResourceVq, 1, 0)));
    }

    [Fact]
    public void Assign_OverPerSecondaryMaximum_Fails0x4121()
    {
        var error = Assert.Throws<NvmeCommandException>(() => Client(Create()).VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 3));
        Assert.Equal(0x4121, error.Status.Raw);
    }

    [Fact]
    public void Assign_OverFlexiblePool_Fails0x4121()
    {
        var client = Client(Create());
        Assert.Equal(8u, client.VirtualizationManagement(ActPrimaryFlexibleAllocation, ResourceVq, 0, 8));
        Assert.Equal(NvmeStatusCode.InvalidNumberOfControllerResources, Status(() => client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 1)));
        Assert.Equal(0u, client.VirtualizationManagement(ActPrimaryFlexibleAllocation, ResourceVq, 0, 0));
        Assert.Equal(1u, client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 1));
    }

    [Fact]
    public void Assign_WhileOnline_Fails0x4120AndOfflineAllowsIt()
    {
        var host = Create();
        var client = Client(host);
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        AssignAndOnline(client, 1);
        Assert.Equal(NvmeStatusCode.InvalidSecondaryControllerState, Status(() => client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 1)));
        client.VirtualizationManagement(ActSecondaryOffline, ResourceVq, 1, 0);
        Assert.Equal(1u, client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 1));
        Assert.False(client.ListSecondaryControllers()[0].Online);
    }

    [Fact]
    public void VirtualizationManagement_UnknownControllerOrResourceOrAction_NamedErrors()
    {
        var client = Client(Create());
        Assert.Equal(NvmeStatusCode.InvalidControllerIdentifier, Status(() => client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 9, 1)));
        Assert.Equal(NvmeStatusCode.InvalidControllerIdentifier, Status(() => client.VirtualizationManagement(ActPrimaryFlexibleAllocation, ResourceVq, 1, 0)));
        Assert.Equal(NvmeStatusCode.InvalidResourceIdentifier, Status(() => client.VirtualizationManagement(ActSecondaryAssign, 5, 1, 1)));
        Assert.Equal(NvmeStatusCode.InvalidFieldInCommand, Status(() => client.VirtualizationManagement(3, ResourceVq, 1, 1)));
    }

    [Fact]
    public void SecondaryList_PagesBy127WithCntidMeaningIdsAtLeast()
    {
        var host = Create(Pf(totalVfs: 200));
        using var device = host.Open("/dev/nvme0");
        var page = new byte[IdentifyLayout.DataSize];
        device.Submit(IdentifyCommand.SecondaryControllerList(0).Encode(), page, TimeSpan.FromSeconds(1));
        Assert.Equal(127, page[SecondaryControllerListLayout.NumberOfIdentifiers]);
        device.Submit(IdentifyCommand.SecondaryControllerList(128).Encode(), page, TimeSpan.FromSeconds(1));
        Assert.Equal(73, page[SecondaryControllerListLayout.NumberOfIdentifiers]);
        Assert.Equal(128, BitConverter.ToUInt16(page, SecondaryControllerListLayout.FirstEntry + SecondaryControllerListLayout.Scid));

        var all = new NvmeAdminClient(host.Open("/dev/nvme0")).ListSecondaryControllers();
        Assert.Equal(Enumerable.Range(1, 200), all.Select(s => (int)s.ControllerId));
    }

    [Fact]
    public void Submit_NonZeroFlagsByte_FailsWithEinvalLikeTheKernel()
    {
        using var device = Create().Open("/dev/nvme0");
        byte[] sqe = IdentifyCommand.Controller().Encode();
        sqe[SubmissionEntryLayout.Flags] = 1;
        Assert.Equal(Errnos.EINVAL, Errno(() => device.Submit(sqe, new byte[4096], TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public void Submit_AfterControllerUnbound_FailsWithEnodev()
    {
        var host = Create();
        using var device = host.Open("/dev/nvme0");
        host.WriteAllText("/sys/bus/pci/drivers/nvme/unbind", Pf0);
        Assert.Equal(Errnos.ENODEV, Errno(() => device.Submit(IdentifyCommand.Controller().Encode(), new byte[4096], TimeSpan.FromSeconds(1))));
    }
}

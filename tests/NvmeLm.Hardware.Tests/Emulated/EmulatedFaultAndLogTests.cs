using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;
using static NvmeLm.Hardware.Nvme.VirtualizationManagementFields;
using static NvmeLm.Hardware.Tests.Emulated.EmulatedTestHosts;

namespace NvmeLm.Hardware.Tests.Emulated;

public sealed class EmulatedFaultAndLogTests
{
    [Fact]
    public void FailWrite_BySuffix_FailsOnceWithNoEffect()
    {
        var host = Create();
        host.Faults.FailWrite("/sriov_numvfs", Errnos.EAGAIN);
        Assert.Equal(Errnos.EAGAIN, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2")));
        Assert.Equal(0, host.PhysicalFunctions[0].NumVfs);
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2");
        Assert.Equal(2, host.PhysicalFunctions[0].NumVfs);
    }

    [Fact]
    public void FailWrite_WithCount_FailsThatManyTimes()
    {
        var host = Create();
        host.Faults.FailWrite(Dev(Pf0, "sriov_drivers_autoprobe"), Errnos.EBUSY, count: 2);
        Assert.Equal(Errnos.EBUSY, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0")));
        Assert.Equal(Errnos.EBUSY, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0")));
        host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0");
        Assert.False(host.PhysicalFunctions[0].DriversAutoprobe);
    }

    [Fact]
    public void FailCommand_OnOpcodeAndSelect_ReturnsStatusOnlyForThatSelect()
    {
        var host = Create();
        var client = Client(host);
        host.Faults.FailCommand(NvmeAdminOpcode.VirtualizationManagement, 0x4121, select: ActSecondaryOnline);
        Assert.Equal(2u, client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 2));
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        client.VirtualizationManagement(ActSecondaryAssign, ResourceVi, 1, 1);
        Assert.Equal(NvmeStatusCode.InvalidNumberOfControllerResources, Status(() => client.VirtualizationManagement(ActSecondaryOnline, ResourceVq, 1, 0)));
        Assert.False(host.PhysicalFunctions[0].FindSecondary(1)!.Online);
        client.VirtualizationManagement(ActSecondaryOnline, ResourceVq, 1, 0);
        Assert.True(host.PhysicalFunctions[0].FindSecondary(1)!.Online);
    }

    [Fact]
    public void DelayCommand_LongerThanTimeout_FailsWithEtimedoutAndNoEffect()
    {
        var host = Create();
        host.Faults.DelayCommand(NvmeAdminOpcode.VirtualizationManagement, TimeSpan.FromMilliseconds(50));
        using var device = host.Open("/dev/nvme0");
        var command = VirtualizationManagementCommand.SecondaryAssign(ResourceVq, 1, 2);
        Assert.Equal(Errnos.ETIMEDOUT, Errno(() => device.Submit(command.Encode(), Span<byte>.Empty, TimeSpan.FromMilliseconds(10))));
        Assert.Equal(0, host.PhysicalFunctions[0].FindSecondary(1)!.Nvq);
    }

    [Fact]
    public void DelayWrite_IsConsumedAndTheWriteTakesEffect()
    {
        var host = Create();
        host.Faults.DelayWrite("/sriov_numvfs", TimeSpan.FromMilliseconds(1));
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        Assert.Equal(1, host.PhysicalFunctions[0].NumVfs);
    }

    [Fact]
    public void WriteLog_ReadsAndIdentify_AreNotMutations()
    {
        var host = Create();
        host.ReadAllText(Dev(Pf0, "sriov_numvfs"));
        host.ListDirectory("/sys/bus/pci/devices");
        Client(host).ListSecondaryControllers();
        Assert.Empty(host.WriteLog.Mutations);
        Assert.Single(host.WriteLog.Records);
        Assert.Equal(NvmeAdminOpcode.Identify, host.WriteLog.Records[0].Opcode);
    }

    [Fact]
    public void WriteLog_RecordsEffectOnceWhenAStepRunsTwice()
    {
        var host = Create();
        var client = Client(host);
        for (int run = 0; run < 2; run++)
        {
            host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
            client.VirtualizationManagement(ActSecondaryAssign, ResourceVq, 1, 2);
        }

        var mutations = host.WriteLog.Mutations;
        Assert.Equal(4, mutations.Count);
        Assert.Equal([true, true, false, false], mutations.Select(m => m.Changed));
        Assert.Equal(2, host.WriteLog.Changes.Count);
    }

    [Fact]
    public void WriteLog_FailedWrites_AreRecordedWithErrno()
    {
        var host = Create();
        Assert.Equal(Errnos.ERANGE, Errno(() => host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "9")));
        var record = host.WriteLog.Records.Single();
        Assert.Equal(Errnos.ERANGE, record.Errno);
        Assert.False(record.Changed);
        Assert.False(record.Succeeded);
    }

    [Fact]
    public void ConcurrentBinds_FromManyThreads_AllTakeEffect()
    {
        var host = Create(Pf(totalVfs: 16));
        host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0");
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "16");
        var vfs = Enumerable.Range(0, 16).Select(i => host.ReadLink(Dev(Pf0, $"virtfn{i}"))![3..]).ToArray();
        Parallel.ForEach(vfs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, vf =>
        {
            host.WriteAllText(Dev(vf, "driver_override"), "vfio-pci");
            host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", vf);
        });

        Assert.All(vfs, vf => Assert.Equal("../../../bus/pci/drivers/vfio-pci", host.ReadLink(Dev(vf, "driver"))));
        Assert.Equal(16, host.ListDirectory("/dev/vfio").Count - 1);
        Assert.Equal(2 + 32, host.WriteLog.Changes.Count);
    }
}

using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using V = NvmeLm.Hardware.Nvme.VirtualizationManagementFields;

namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>
/// <see cref="EnableSriovStep"/> on a QEMU-7.2-like PF (<see cref="Qemu72Host"/>): OACS bit 7 clear with working
/// Virtualization Management, and the resource accounting when the VF count changes through numvfs=0.
/// </summary>
public sealed class EnableSriovQemu72Tests : IDisposable
{
    private readonly StepFixture _fixture = new(Qemu72Host.Config());

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Run_Should_EnableVfs_When_OacsBit7ClearButCns14Works()
    {
        StepResult result = Enable(vfs: 3, queues: 2, interrupts: 1);

        var pf = _fixture.Emulated(StepFixture.Source);
        Assert.True(result.Changed);
        Assert.Equal(3, pf.NumVfs);
        Assert.All(pf.Secondaries.Take(3), s => Assert.True(s.Online && s.Nvq == 2 && s.Nvi == 1));
    }

    [Fact]
    public void Run_Should_RefuseAndTouchNothing_When_OacsBit7ClearAndCns14Fails()
    {
        _fixture.Host.Faults.FailCommand(NvmeAdminOpcode.Identify, NvmeStatus.From(NvmeStatusCode.InvalidFieldInCommand).Raw,
            select: IdentifyCns.PrimaryControllerCapabilities);

        var ex = Assert.Throws<HardwareRefusedException>(() => Enable(vfs: 2, queues: 2, interrupts: 1));

        Assert.Equal(RefusalReason.MissingCapability, ex.Reason);
        Assert.Contains("primary controller CNTLID 0 of PF 0000:01:00.0 (/dev/nvme0) does not support Virtualization Management (OACS bit 7 VMS clear, OACS=0x", ex.Message);
        Assert.Contains("Identify CNS 0x14 failed with status 0x", ex.Message);
        Assert.Equal(0, _fixture.MutationCount);
        Assert.Null(_fixture.Journal.Read(StepFixture.Source));
    }

    [Fact]
    public void Run_Should_GoThroughZeroAndOnlineTwo_When_ShrinkingFromThreeToTwoVfs()
    {
        // The e2e case: 3 VFs × 2 VQ leave 6 of VQFRT 8 assigned; the numvfs=0 write frees them all (QEMU reset).
        Enable(vfs: 3, queues: 2, interrupts: 1);
        int before = _fixture.MutationCount;

        StepResult result = Enable(vfs: 2, queues: 2, interrupts: 1);

        var pf = _fixture.Emulated(StepFixture.Source);
        var numVfsWrites = _fixture.Host.WriteLog.Mutations.Skip(before).Where(r => r.Target.EndsWith("/sriov_numvfs", StringComparison.Ordinal)).Select(r => r.Value).ToList();
        Assert.True(result.Changed);
        Assert.Equal(["0", "2"], numVfsWrites);
        Assert.Equal(2, pf.NumVfs);
        Assert.All(pf.Secondaries.Take(2), s => Assert.True(s.Online && s.Nvq == 2 && s.Nvi == 1));
        Assert.All(pf.Secondaries.Skip(2), s => Assert.True(!s.Online && s.Nvq == 0 && s.Nvi == 0));
    }

    [Fact]
    public void Run_Should_UseWholePoolForRemainingVfs_When_ShrinkingWithMoreQueues()
    {
        // 2 × 4 VQ = VQFRT 8: only possible because the reset frees the 6 VQ the three old secondaries held.
        Enable(vfs: 3, queues: 2, interrupts: 1);

        Enable(vfs: 2, queues: 4, interrupts: 1);

        var pf = _fixture.Emulated(StepFixture.Source);
        Assert.Equal(2, pf.NumVfs);
        Assert.All(pf.Secondaries.Take(2), s => Assert.True(s.Online && s.Nvq == 4 && s.Nvi == 1));
    }

    [Fact]
    public void Run_Should_RefuseAndTouchNothing_When_CountChangeStillOvercommitsPool()
    {
        Enable(vfs: 2, queues: 2, interrupts: 1);
        int before = _fixture.MutationCount;

        var ex = Assert.Throws<HardwareRefusedException>(() => Enable(vfs: 3, queues: 4, interrupts: 1));

        Assert.Equal(RefusalReason.InvalidInput, ex.Reason);
        Assert.Equal("3 VF(s) × 4 queues need 12 VQ flexible resources, but VQFRT is 8 and 0 are assigned to other secondaries", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
        Assert.All(_fixture.Emulated(StepFixture.Source).Secondaries.Take(2), s => Assert.True(s.Online && s.Nvq == 2));
    }

    [Fact]
    public void Run_Should_CountOtherSecondariesAndTouchNothing_When_CountUnchangedAndPoolShort()
    {
        // Without a numvfs change nothing is reset, so resources held by a secondary without a VF still count.
        Enable(vfs: 2, queues: 2, interrupts: 1);
        using (INvmeAdminDevice device = _fixture.Hardware.Nvme.Open("/dev/nvme0"))
        {
            new NvmeAdminClient(device).VirtualizationManagement(V.ActSecondaryAssign, V.ResourceVq, 4, 4);
        }

        int before = _fixture.MutationCount;

        var ex = Assert.Throws<HardwareRefusedException>(() => Enable(vfs: 2, queues: 3, interrupts: 1));

        Assert.Equal("2 VF(s) × 3 queues need 6 VQ flexible resources, but VQFRT is 8 and 4 are assigned to other secondaries", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
    }

    private StepResult Enable(int vfs, int queues, int interrupts)
    {
        using var context = _fixture.Context();
        return new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, vfs, queues, interrupts));
    }
}

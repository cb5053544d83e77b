using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using NvmeLm.Hardware.Steps.Actions;
using NvmeLm.TestSupport;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class EnableSriovStepTests : IDisposable
{
    private readonly StepFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Run_Should_EnableVfsWithResourcesOnline_When_PfIsFresh()
    {
        StepResult result = _fixture.Enable(StepFixture.Source, vfs: 2, queues: 3, interrupts: 2);

        var pf = _fixture.Emulated(StepFixture.Source);
        Assert.True(result.Changed);
        Assert.Equal(2, pf.NumVfs);
        Assert.False(pf.DriversAutoprobe);
        foreach (int scid in new[] { 1, 2 })
        {
            var secondary = pf.FindSecondary(scid)!;
            Assert.True(secondary.Online);
            Assert.Equal(3, secondary.Nvq);
            Assert.Equal(2, secondary.Nvi);
        }

        var record = _fixture.Journal.Read(StepFixture.Source)!;
        Assert.Equal(StepFixture.Owner, record.Owner);
        Assert.True(record.OriginalAutoprobe);
        Assert.Equal(0, record.OriginalNumVfs);
        Assert.True(record.NumVfsChangedByAgent);
        Assert.Null(record.Pending);
        Assert.All(record.Vfs, v => Assert.True(v.OnlinedByAgent && v.ResourcesAssignedByAgent));
    }

    [Fact]
    public void Run_Should_OrderWritesAutoprobeNumVfsAssignOnline_When_PfIsFresh()
    {
        StepResult result = _fixture.Enable(StepFixture.Source, vfs: 1);

        Assert.Collection(result.Actions,
            a => Assert.Equal("write \"0\" to /sys/bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe", a.Describe()),
            a => Assert.Equal("write \"1\" to /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs", a.Describe()),
            a => Assert.Contains("Secondary Assign, RT VQ, CNTLID 1, NR 2", a.Describe()),
            a => Assert.Contains("Secondary Assign, RT VI, CNTLID 1, NR 1", a.Describe()),
            a => Assert.Contains("Secondary Online, RT VQ, CNTLID 1", a.Describe()));
    }

    [Fact]
    public void Run_Should_ChangeNothing_When_RunTwice()
    {
        _fixture.Enable(StepFixture.Source);
        int mutations = _fixture.MutationCount;

        StepResult second = _fixture.Enable(StepFixture.Source);

        Assert.Empty(second.Actions);
        Assert.False(second.Changed);
        Assert.Equal(mutations, _fixture.MutationCount);
    }

    [Fact]
    public void Run_Should_PlanExactActionsAndWriteNothing_When_DryRun()
    {
        using var context = _fixture.Context(dryRun: true);

        StepResult plan = new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, 2, 2, 1));

        Assert.True(plan.DryRun);
        Assert.False(plan.Changed);
        Assert.Equal(2 + (2 * 3), plan.Actions.Count);
        Assert.Equal(0, _fixture.MutationCount);
        Assert.Null(_fixture.Journal.Read(StepFixture.Source));
        var online = Assert.IsType<NvmeAdminAction>(plan.Actions[^1]);
        Assert.Equal("/dev/nvme0", online.Device);
        var sqe = Assert.Single(online.Submissions);
        Assert.Equal(NvmeAdminOpcode.VirtualizationManagement, sqe.Opcode);
        Assert.Equal(0x0002_0009u, sqe.Cdw10); // ACT 9 | RT 0 | CNTLID 2 << 16
    }

    [Fact]
    public void Run_Should_WriteZeroBeforeNewCount_When_ChangingNonZeroNumVfs()
    {
        _fixture.Enable(StepFixture.Source, vfs: 2);
        int before = _fixture.MutationCount;

        StepResult result = _fixture.Enable(StepFixture.Source, vfs: 3);

        var numVfsWrites = _fixture.Host.WriteLog.Mutations.Skip(before).Where(r => r.Target.EndsWith("/sriov_numvfs", StringComparison.Ordinal)).Select(r => r.Value).ToList();
        Assert.Equal(["0", "3"], numVfsWrites);
        Assert.Equal(3, _fixture.Emulated(StepFixture.Source).NumVfs);
        Assert.All(_fixture.Emulated(StepFixture.Source).Secondaries.Take(3), s => Assert.True(s.Online));
        Assert.Equal(0, _fixture.Journal.Read(StepFixture.Source)!.OriginalNumVfs);
        Assert.True(result.Changed);
    }

    [Fact]
    public void Run_Should_ReassignOnlyDifferingResources_When_QueuesChange()
    {
        _fixture.Enable(StepFixture.Source, vfs: 1, queues: 2, interrupts: 1);

        StepResult result = _fixture.Enable(StepFixture.Source, vfs: 1, queues: 4, interrupts: 1);

        Assert.Collection(result.Actions,
            a => Assert.Contains("Secondary Offline", a.Describe()),
            a => Assert.Contains("Secondary Assign, RT VQ, CNTLID 1, NR 4", a.Describe()),
            a => Assert.Contains("Secondary Online", a.Describe()));
        Assert.Equal(4, _fixture.Emulated(StepFixture.Source).FindSecondary(1)!.Nvq);
    }

    [Theory]
    [InlineData(5, 2, 1, RefusalReason.InvalidInput, "at most 4 VFs")]
    [InlineData(2, 5, 1, RefusalReason.InvalidInput, "VQFRSM 4")]
    [InlineData(2, 2, 3, RefusalReason.InvalidInput, "VIFRSM 2")]
    [InlineData(0, 2, 1, RefusalReason.InvalidInput, "at least 1")]
    public void Run_Should_RefuseAndTouchNothing_When_RequestIsOutOfRange(int vfs, int queues, int interrupts, RefusalReason reason, string message)
    {
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, vfs, queues, interrupts)));

        Assert.Equal(reason, ex.Reason);
        Assert.Contains(message, ex.Message);
        Assert.Equal(0, _fixture.MutationCount);
        Assert.Null(_fixture.Journal.Read(StepFixture.Source));
    }

    [Fact]
    public void Run_Should_RefuseAndTouchNothing_When_PfNotSelected()
    {
        using var context = _fixture.Context(selected: StepFixture.Destination);

        var ex = Assert.Throws<HardwareRefusedException>(() => new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, 2, 2, 1)));

        Assert.Equal(RefusalReason.NotSelected, ex.Reason);
        Assert.Contains("0000:01:00.0 is not selected", ex.Message);
        Assert.Equal(0, _fixture.MutationCount);
    }

    [Fact]
    public void Run_Should_RefuseAndTouchNothing_When_PfUnknown()
    {
        using var context = _fixture.Context(selected: StepFixture.Unknown);

        var ex = Assert.Throws<HardwareRefusedException>(() => new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Unknown, 2, 2, 1)));

        Assert.Equal(RefusalReason.UnknownDevice, ex.Reason);
        Assert.Equal(0, _fixture.MutationCount);
    }

    [Fact]
    public void Run_Should_RefuseAndTouchNothing_When_NamespaceMounted()
    {
        _fixture.Host.Mount("/dev/nvme0n1p1", "/data");
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, 2, 2, 1)));

        Assert.Equal(RefusalReason.InUseByFilesystem, ex.Reason);
        Assert.Contains("/dev/nvme0n1p1 mounted on /data", ex.Message);
        Assert.Equal(0, _fixture.MutationCount);
        Assert.Null(_fixture.Journal.Read(StepFixture.Source));
    }

    [Fact]
    public void Run_Should_RefuseAndTouchNothing_When_PfOwnedByAnother()
    {
        _fixture.Enable(StepFixture.Source);
        int before = _fixture.MutationCount;
        using var context = _fixture.Context(owner: "someone-else");

        var ex = Assert.Throws<HardwareRefusedException>(() => new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, 3, 2, 1)));

        Assert.Equal(RefusalReason.OwnedByOther, ex.Reason);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Run_Should_NameTheErrorAndJournalTheFailure_When_NumVfsWriteFails()
    {
        _fixture.Host.Faults.FailWrite("/sriov_numvfs", Errnos.EIO);
        using var context = _fixture.Context();

        var ex = Assert.Throws<HostIoException>(() => new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, 2, 2, 1)));

        Assert.Equal(Errnos.EIO, ex.Errno);
        var record = _fixture.Journal.Read(StepFixture.Source)!;
        Assert.Null(record.Pending);
        Assert.Contains("sriov_numvfs", record.LastFailure);
        Assert.Equal(0, record.OriginalNumVfs);
        Assert.True(record.AutoprobeChangedByAgent);
        Assert.Equal(0, _fixture.Emulated(StepFixture.Source).NumVfs);
    }

    [Fact]
    public void Run_Should_NameTheNvmeStatusAndJournalTheFailure_When_AssignIsRejected()
    {
        _fixture.Host.Faults.FailCommand(NvmeAdminOpcode.VirtualizationManagement, 0x4121, select: VirtualizationManagementFields.ActSecondaryAssign);
        using var context = _fixture.Context();

        var ex = Assert.Throws<NvmeCommandException>(() => new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, 1, 2, 1)));

        Assert.Equal(NvmeStatusCode.InvalidNumberOfControllerResources, ex.Code);
        var record = _fixture.Journal.Read(StepFixture.Source)!;
        Assert.Null(record.Pending);
        Assert.Contains("Secondary Assign", record.LastFailure);
        Assert.Contains("Invalid Number of Controller Resources", record.LastFailure);
        Assert.Equal(VfProgress.None, record.FindVf(1)!.Progress);
        Assert.Equal(0, _fixture.Emulated(StepFixture.Source).FindSecondary(1)!.Nvq);
    }

    public static TheoryData<int> CrashPoints() => [0, 1, 2, 3, 4, 5, 6, 7];

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public void Run_Should_Converge_When_CrashedBeforeWriteK(int crashBefore)
    {
        int writes = 0;
        using (var crashing = _fixture.Context(beforeWrite: action =>
        {
            if (writes++ == crashBefore)
            {
                throw new SimulatedCrashException("simulated crash before: " + action.Describe());
            }
        }))
        {
            var crash = Assert.Throws<SimulatedCrashException>(() => new EnableSriovStep(crashing).Run(new EnableSriovRequest(StepFixture.Source, 2, 2, 1)));
            var pending = _fixture.Journal.Read(StepFixture.Source)!.Pending;
            Assert.NotNull(pending);
            Assert.Equal(EnableSriovStep.Name, pending.Step);
            Assert.EndsWith(pending.Action, crash.Message);
        }

        _fixture.Enable(StepFixture.Source);
        int converged = _fixture.MutationCount;
        StepResult again = _fixture.Enable(StepFixture.Source);

        var pf = _fixture.Emulated(StepFixture.Source);
        Assert.Equal(2, pf.NumVfs);
        Assert.False(pf.DriversAutoprobe);
        Assert.All(pf.Secondaries.Take(2), s => Assert.True(s.Online && s.Nvq == 2 && s.Nvi == 1));
        var record = _fixture.Journal.Read(StepFixture.Source)!;
        Assert.Null(record.Pending);
        Assert.True(record.OriginalAutoprobe);
        Assert.Equal(0, record.OriginalNumVfs);
        Assert.Empty(again.Actions);
        Assert.Equal(converged, _fixture.MutationCount);
    }

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public void Run_Should_ConvergeAndReleaseEverything_When_CrashedAfterWriteKBeforeJournalling(int crashAfter)
    {
        int writes = 0;
        using (var crashing = new NvmeLm.Hardware.Steps.StepContext(_fixture.Hardware, _fixture.Journal, new SafetyPolicy([StepFixture.Source]), StepFixture.Owner)
        {
            AfterHostWrite = action =>
            {
                if (writes++ == crashAfter)
                {
                    throw new SimulatedCrashException("simulated crash before: " + action.Describe());
                }
            },
        })
        {
            Assert.Throws<SimulatedCrashException>(() => new EnableSriovStep(crashing).Run(new EnableSriovRequest(StepFixture.Source, 2, 2, 1)));
            Assert.NotNull(_fixture.Journal.Read(StepFixture.Source)!.Pending);
        }

        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context();
        new ReleaseStep(context).Run(StepFixture.Source);

        var pf = _fixture.Emulated(StepFixture.Source);
        Assert.Equal(0, pf.NumVfs);
        Assert.True(pf.DriversAutoprobe);
        Assert.All(pf.Secondaries, s => Assert.False(s.Online));
        Assert.Null(_fixture.Journal.Read(StepFixture.Source));
    }
}

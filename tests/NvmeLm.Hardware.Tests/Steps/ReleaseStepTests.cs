using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using NvmeLm.TestSupport;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class ReleaseStepTests : IDisposable
{
    private readonly StepFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Run_Should_RestoreRecordedOriginalsAndForgetPf_When_AgentPreparedIt()
    {
        Prepare(StepFixture.Source);
        using var context = _fixture.Context();

        StepResult result = new ReleaseStep(context).Run(StepFixture.Source);

        var pf = _fixture.Emulated(StepFixture.Source);
        Assert.True(result.Changed);
        Assert.Equal(0, pf.NumVfs);
        Assert.True(pf.DriversAutoprobe);
        Assert.All(pf.Secondaries, s => Assert.False(s.Online));
        Assert.Null(_fixture.Journal.Read(StepFixture.Source));
    }

    [Fact]
    public void Run_Should_ReleaseOneSecondaryAndKeepThePf_When_ScidGiven()
    {
        Prepare(StepFixture.Source);
        using var context = _fixture.Context();

        new ReleaseStep(context).Run(StepFixture.Source, scid: 1);

        var pf = _fixture.Emulated(StepFixture.Source);
        Assert.Equal(2, pf.NumVfs);
        Assert.False(pf.FindSecondary(1)!.Online);
        Assert.Equal(0, pf.FindSecondary(1)!.Nvq);
        Assert.True(pf.FindSecondary(2)!.Online);
        Assert.Null(_fixture.Host.FindFunction(PciAddress.Parse("0000:01:00.1"))!.Driver);
        Assert.Equal("vfio-pci", _fixture.Host.FindFunction(PciAddress.Parse("0000:01:00.2"))!.Driver);
        var record = _fixture.Journal.Read(StepFixture.Source)!;
        Assert.Null(record.FindVf(1));
        Assert.NotNull(record.FindVf(2));
    }

    [Fact]
    public void Run_Should_TouchNothing_When_PfHasNoJournalRecord()
    {
        // Someone else enabled VFs by hand: the agent does not own them and must not reset them.
        _fixture.Hardware.Files.WriteAllText("/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs", "3");
        int before = _fixture.MutationCount;
        using var context = _fixture.Context();

        StepResult result = new ReleaseStep(context).Run(StepFixture.Source);

        Assert.Empty(result.Actions);
        Assert.Contains("no journal record", Assert.Single(result.Notes));
        Assert.Equal(before, _fixture.MutationCount);
        Assert.Equal(3, _fixture.Emulated(StepFixture.Source).NumVfs);
    }

    [Fact]
    public void Run_Should_RestoreTheOriginalNonZeroCount_When_AgentChangedIt()
    {
        _fixture.Hardware.Files.WriteAllText("/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs", "1");
        _fixture.Enable(StepFixture.Source, vfs: 2);
        using var context = _fixture.Context();

        new ReleaseStep(context).Run(StepFixture.Source);

        Assert.Equal(1, _fixture.Emulated(StepFixture.Source).NumVfs);
    }

    [Fact]
    public void Run_Should_Refuse_When_OwnedByAnother()
    {
        Prepare(StepFixture.Source);
        int before = _fixture.MutationCount;
        using var context = _fixture.Context(owner: "someone-else");

        var ex = Assert.Throws<HardwareRefusedException>(() => new ReleaseStep(context).Run(StepFixture.Source));

        Assert.Equal(RefusalReason.OwnedByOther, ex.Reason);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Run_Should_RefuseAndTouchNothing_When_VfioGroupOpen()
    {
        Prepare(StepFixture.Source);
        var vf = _fixture.Host.FindFunction(PciAddress.Parse("0000:01:00.2"))!;
        _fixture.Host.OpenDeviceAs(777, $"/dev/vfio/{vf.IommuGroup}");
        int before = _fixture.MutationCount;
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new ReleaseStep(context).Run(StepFixture.Source));

        Assert.Equal(RefusalReason.InUseByVmm, ex.Reason);
        Assert.Contains("0000:01:00.2", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Run_Should_PlanEverythingAndChangeNothing_When_DryRun()
    {
        Prepare(StepFixture.Source);
        int before = _fixture.MutationCount;
        using var context = _fixture.Context(dryRun: true);

        StepResult plan = new ReleaseStep(context).Run(StepFixture.Source);

        Assert.Equal(10, plan.Actions.Count);
        Assert.Equal(before, _fixture.MutationCount);
        Assert.NotNull(_fixture.Journal.Read(StepFixture.Source));
    }

    public static TheoryData<int> CrashPoints() => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public void Run_Should_Converge_When_CrashedBeforeWriteK(int crashBefore)
    {
        Prepare(StepFixture.Source);
        int writes = 0;
        using (var crashing = _fixture.Context(beforeWrite: action =>
        {
            if (writes++ == crashBefore)
            {
                throw new SimulatedCrashException("simulated crash before: " + action.Describe());
            }
        }))
        {
            Assert.Throws<SimulatedCrashException>(() => new ReleaseStep(crashing).Run(StepFixture.Source));
            Assert.Equal(ReleaseStep.Name, _fixture.Journal.Read(StepFixture.Source)!.Pending!.Step);
        }

        using var context = _fixture.Context();
        new ReleaseStep(context).Run(StepFixture.Source);

        var pf = _fixture.Emulated(StepFixture.Source);
        Assert.Equal(0, pf.NumVfs);
        Assert.True(pf.DriversAutoprobe);
        Assert.Null(_fixture.Journal.Read(StepFixture.Source));
    }

    [Fact]
    public void Run_Should_RebindTheOriginalDriver_When_AgentTookTheVfFromNvme()
    {
        _fixture.Enable(StepFixture.Source, vfs: 1);
        var vf = PciAddress.Parse("0000:01:00.1");
        _fixture.Hardware.Files.WriteAllText("/sys/bus/pci/devices/0000:01:00.1/driver_override", "nvme");
        _fixture.Hardware.Files.WriteAllText("/sys/bus/pci/drivers/nvme/bind", "0000:01:00.1");
        _fixture.Hardware.Files.WriteAllText("/sys/bus/pci/devices/0000:01:00.1/driver_override", "\n");
        Assert.Equal("nvme", _fixture.Host.FindFunction(vf)!.Driver);
        using var context = _fixture.Context();
        BindVfioResult bound = new BindVfioStep(context).Run(StepFixture.Source, 1);
        Assert.Equal("0000:01:00.1", Assert.Single(((NvmeLm.Hardware.Steps.Actions.BindDriverAction)bound.Actions[0]).Writes, w => w.Path == "/sys/bus/pci/drivers/nvme/unbind").Value);
        Assert.Equal("vfio-pci", _fixture.Host.FindFunction(vf)!.Driver);

        new ReleaseStep(context).Run(StepFixture.Source, scid: 1);

        Assert.Equal("nvme", _fixture.Host.FindFunction(vf)!.Driver);
        Assert.Null(_fixture.Host.FindFunction(vf)!.DriverOverride);
    }

    private void Prepare(PciAddress pf)
    {
        _fixture.Enable(pf);
        using var context = _fixture.Context();
        new AllowMigrateStep(context).Run(pf, 1);
        new AllowMigrateStep(context).Run(pf, 2);
        new BindVfioStep(context).Run(pf, 1);
        new BindVfioStep(context).Run(pf, 2);
    }
}

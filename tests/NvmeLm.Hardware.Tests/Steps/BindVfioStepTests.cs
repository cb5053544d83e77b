using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using NvmeLm.Hardware.Steps.Actions;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class BindVfioStepTests : IDisposable
{
    private readonly StepFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Run_Should_BindVfioPciAndReportNoMigrationSupport_When_VfUnbound()
    {
        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context();

        BindVfioResult result = new BindVfioStep(context).Run(StepFixture.Source, 1);

        var vf = _fixture.Host.FindFunction(PciAddress.Parse("0000:01:00.1"))!;
        Assert.Equal("vfio-pci", vf.Driver);
        Assert.Null(vf.DriverOverride);
        Assert.Equal($"/dev/vfio/{vf.IommuGroup}", result.VfioGroupPath);
        Assert.True(_fixture.Hardware.Files.Exists(result.VfioGroupPath!));
        Assert.Equal(BindVfioStep.NoMigrationSupport, result.MigrationSupport);
        Assert.Null(result.MigrationFlags);
        var bind = Assert.IsType<BindDriverAction>(Assert.Single(result.Actions));
        Assert.Equal(
            ["/sys/bus/pci/devices/0000:01:00.1/driver_override", "/sys/bus/pci/drivers/vfio-pci/bind", "/sys/bus/pci/devices/0000:01:00.1/driver_override"],
            bind.Writes.Select(w => w.Path));
        VfJournalEntry entry = _fixture.Journal.Read(StepFixture.Source)!.FindVf(1)!;
        Assert.True(entry.DriverChangedByAgent);
        Assert.Null(entry.OriginalDriver);
        Assert.Equal("vfio-pci", entry.BoundDriver);
        Assert.Equal(VfProgress.Bound, entry.Progress);
    }

    [Fact]
    public void Run_Should_ChangeNothing_When_RunTwice()
    {
        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context();
        var step = new BindVfioStep(context);
        step.Run(StepFixture.Source, 1);
        int before = _fixture.MutationCount;

        BindVfioResult again = step.Run(StepFixture.Source, 1);

        Assert.Empty(again.Actions);
        Assert.Equal(before, _fixture.MutationCount);
        Assert.Contains("already bound to vfio-pci", Assert.Single(again.Notes));
    }

    [Fact]
    public void Run_Should_BindEachVfFromOneListing_When_CallerPassesItsList()
    {
        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context();
        SecondaryListResult list = new ListSecondariesStep(context).Run(StepFixture.Source);
        var step = new BindVfioStep(context);

        BindVfioResult first = step.Run(StepFixture.Source, 1, BindVfioStep.DefaultDriver, list);
        BindVfioResult second = step.Run(StepFixture.Source, 2, BindVfioStep.DefaultDriver, list);

        Assert.Equal("vfio-pci", _fixture.Host.FindFunction(first.Vf)!.Driver);
        Assert.Equal("vfio-pci", _fixture.Host.FindFunction(second.Vf)!.Driver);
        Assert.NotEqual(first.Vf, second.Vf);
        Assert.Throws<ArgumentException>(() => step.Run(StepFixture.Destination, 1, BindVfioStep.DefaultDriver, list));
    }

    [Fact]
    public void Run_Should_ReportVariantDriverMigrationFlags_When_DriverIsVariant()
    {
        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context();

        BindVfioResult result = new BindVfioStep(context).Run(StepFixture.Source, 1, "nvme-vfio-pci");

        Assert.Equal(VfioMigrationFlags.StopCopy | VfioMigrationFlags.P2P, result.MigrationFlags);
        Assert.Equal("VFIO migration: StopCopy, P2P", result.MigrationSupport);
    }

    [Fact]
    public void Run_Should_RefuseAndTouchNothing_When_VfioGroupOpenByVmm()
    {
        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context();
        BindVfioResult bound = new BindVfioStep(context).Run(StepFixture.Source, 1);
        _fixture.Host.OpenDeviceAs(4242, bound.VfioGroupPath!);
        int before = _fixture.MutationCount;

        var ex = Assert.Throws<HardwareRefusedException>(() => new BindVfioStep(context).Run(StepFixture.Source, 1, "nvme-vfio-pci"));

        Assert.Equal(RefusalReason.InUseByVmm, ex.Reason);
        Assert.Contains("VFIO group open by PID 4242", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
        Assert.Equal("vfio-pci", _fixture.Host.FindFunction(bound.Vf)!.Driver);
    }

    [Fact]
    public void Run_Should_PlanBindOfFutureVf_When_DryRunBeforeVfsExist()
    {
        using var context = _fixture.Context(dryRun: true);

        BindVfioResult plan = new BindVfioStep(context).Run(StepFixture.Source, 2);

        Assert.Equal("0000:01:00.2", plan.Vf.ToString());
        Assert.Single(plan.Actions);
        Assert.Equal(0, _fixture.MutationCount);
    }

    [Fact]
    public void Run_Should_Refuse_When_VfDoesNotExist()
    {
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new BindVfioStep(context).Run(StepFixture.Source, 1));

        Assert.Contains("0000:01:00.1 of SCID 1 (PF 0000:01:00.0) does not exist", ex.Message);
    }

    [Theory]
    [InlineData("../../evil")]
    [InlineData("vfio pci")]
    [InlineData("")]
    public void Run_Should_RefuseBeforeAnyPath_When_DriverNameInvalid(string driver)
    {
        _fixture.Enable(StepFixture.Source);
        int before = _fixture.MutationCount;
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new BindVfioStep(context).Run(StepFixture.Source, 1, driver));

        Assert.Equal(RefusalReason.InvalidInput, ex.Reason);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Run_Should_JournalFailureAndLeaveVfUnbound_When_BindFails()
    {
        _fixture.Enable(StepFixture.Source);
        _fixture.Host.Faults.FailWrite("/sys/bus/pci/drivers/vfio-pci/bind", Errnos.EINVAL);
        using var context = _fixture.Context();

        Assert.ThrowsAny<NvmeLmException>(() => new BindVfioStep(context).Run(StepFixture.Source, 1));

        var record = _fixture.Journal.Read(StepFixture.Source)!;
        Assert.Null(record.Pending);
        Assert.Contains("vfio-pci/bind", record.LastFailure);
        Assert.Null(_fixture.Host.FindFunction(PciAddress.Parse("0000:01:00.1"))!.Driver);
    }
}

using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>
/// <see cref="RestoreStateStep.SuspendTarget"/>: an armed destination is suspended while the source still runs, so the
/// restore inside the device downtime goes straight to Set Controller State. Only a bound resume target is touched.
/// </summary>
public sealed class SuspendTargetTests : IDisposable
{
    private readonly StepFixture _fixture = new();

    public SuspendTargetTests()
    {
        _fixture.PrepareMigrationPair();
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void SuspendTarget_Should_SuspendTheTargetAheadSoTheRestoreOnlyWritesTheState_When_ItIsABoundResumeTarget()
    {
        using var context = _fixture.Context();
        MarkBound(context, StepFixture.Destination, 2);

        StepResult early = new RestoreStateStep(context).SuspendTarget(StepFixture.Destination, 2);

        Assert.Single(early.Actions);
        Assert.True(_fixture.Emulated(StepFixture.Destination).FindSecondary(2)!.Suspended);
        Assert.Equal(VfProgress.Suspended, context.Journal.Read(StepFixture.Destination)!.FindVf(2)!.Progress);
        // Asked again (a later sync while the state has not come): nothing more is sent.
        int mutations = _fixture.MutationCount;
        Assert.Empty(new RestoreStateStep(context).SuspendTarget(StepFixture.Destination, 2).Actions);
        Assert.Equal(mutations, _fixture.MutationCount);

        new SuspendStep(context).Run(StepFixture.Source, 1);
        SaveStateResult saved = new SaveStateStep(context).Run(StepFixture.Source, 1);
        StepResult restored = new RestoreStateStep(context).Run(StepFixture.Destination, 2, saved.State!.Data, saved.State.Sha256, "test");

        // Set Controller State only (as many chunks as the state needs): no Suspend inside the window.
        Assert.All(restored.Actions, a => Assert.Contains("Set Controller State", a.Describe(), StringComparison.Ordinal));
        Assert.Equal(saved.State.Data, _fixture.Emulated(StepFixture.Destination).FindSecondary(2)!.RestoredState);
    }

    [Fact]
    public void SuspendTarget_Should_RefuseBeforeAnyCommand_When_TheVfIsAMigrationSource()
    {
        using var context = _fixture.Context();
        MarkBound(context, StepFixture.Source, 1);
        int before = _fixture.MutationCount;

        var ex = Assert.Throws<HardwareRefusedException>(() => new RestoreStateStep(context).SuspendTarget(StepFixture.Source, 1));

        Assert.Equal(RefusalReason.WrongState, ex.Reason);
        Assert.Contains("MigrationSource", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, _fixture.MutationCount);
        Assert.False(_fixture.Emulated(StepFixture.Source).FindSecondary(1)!.Suspended);
    }

    [Fact]
    public void SuspendTarget_Should_RefuseBeforeAnyCommand_When_TheTargetIsNotBoundToItsVfioDriverYet()
    {
        // A bind may reset the function and undo a suspend, so only a bound target is suspended ahead.
        using var context = _fixture.Context();
        int before = _fixture.MutationCount;

        var ex = Assert.Throws<HardwareRefusedException>(() => new RestoreStateStep(context).SuspendTarget(StepFixture.Destination, 2));

        Assert.Equal(RefusalReason.WrongState, ex.Reason);
        Assert.Contains("ResumeTarget at Allowed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, _fixture.MutationCount);
    }

    /// <summary>What the VFIO bind step journals once the VF is on its pool's driver.</summary>
    private static void MarkBound(StepContext context, PciAddress pf, int scid) =>
        context.UpdateJournal(pf, r => r.WithVf(scid, v => v with { Progress = VfProgress.Bound }));
}

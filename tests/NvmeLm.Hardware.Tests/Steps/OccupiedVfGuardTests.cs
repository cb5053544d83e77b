using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>
/// RestoreState and a resume target's Resume refuse a VF that runs a controller an earlier migration moved in
/// (<see cref="VfJournalEntry.HostedStateSha256"/>), before any command, and leave the running controller as it was.
/// </summary>
public sealed class OccupiedVfGuardTests : IDisposable
{
    private const string Second = "second-migration";
    private readonly StepFixture _fixture = new();

    public OccupiedVfGuardTests()
    {
        _fixture.PrepareMigrationPair();
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Restore_Should_RefuseBeforeAnyCommand_When_TheVfRunsAControllerAnEarlierMigrationMovedIn()
    {
        string hosted = MigrateIntoDestinationAndHandBack();
        byte[] foreign = SecondStateFromSource();
        byte[] running = _fixture.Emulated(StepFixture.Destination).FindSecondary(2)!.RestoredState!;
        int before = _fixture.MutationCount;
        using var context = _fixture.Context(owner: Second);

        var ex = Assert.Throws<HardwareRefusedException>(() => new RestoreStateStep(context).Run(StepFixture.Destination, 2, foreign, null, "test"));

        Assert.Equal(RefusalReason.InUseByVmm, ex.Reason);
        Assert.Contains($"runs a controller an earlier migration moved in (state sha256 {hosted})", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
        var target = _fixture.Emulated(StepFixture.Destination).FindSecondary(2)!;
        Assert.False(target.Suspended);
        Assert.Equal(running, target.RestoredState);
    }

    [Fact]
    public void Resume_Should_Refuse_When_AResumeTargetRunsAControllerAnEarlierMigrationMovedIn()
    {
        MigrateIntoDestinationAndHandBack();
        int before = _fixture.MutationCount;
        using var context = _fixture.Context(owner: Second);

        var ex = Assert.Throws<HardwareRefusedException>(() => new ResumeStep(context).Run(StepFixture.Destination, 2));

        Assert.Equal(RefusalReason.InUseByVmm, ex.Reason);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Restore_Should_Proceed_When_TheVfWasResetSinceTheEarlierMigration()
    {
        MigrateIntoDestinationAndHandBack();
        using (var release = _fixture.Context(owner: Second))
        {
            // The reset forgets the entry (and with it what ran there); the VF is provisioned afresh and locked again.
            new ReleaseStep(release).Run(StepFixture.Destination, 2);
        }

        _fixture.Enable(StepFixture.Destination);
        byte[] state = SecondStateFromSource();
        using var context = _fixture.Context(owner: Second);
        new AllowResumeStep(context).Run(StepFixture.Destination, 2, stateFormatVersion: 0);

        new RestoreStateStep(context).Run(StepFixture.Destination, 2, state, null, "test");

        Assert.Equal(state, _fixture.Emulated(StepFixture.Destination).FindSecondary(2)!.RestoredState);
    }

    /// <summary>
    /// The first migration moves SCID 1's controller into the destination's SCID 2 and resumes it; its hand-back leaves
    /// the VF running it (what the agent's SecondaryHandBack journals); the second migration then locks SCID 2.
    /// </summary>
    private string MigrateIntoDestinationAndHandBack()
    {
        using var context = _fixture.Context();
        new SuspendStep(context).Run(StepFixture.Source, 1);
        SaveStateResult saved = new SaveStateStep(context).Run(StepFixture.Source, 1);
        new RestoreStateStep(context).Run(StepFixture.Destination, 2, saved.State!.Data, saved.State.Sha256, "test");
        new ResumeStep(context).Run(StepFixture.Destination, 2);
        context.UpdateJournal(StepFixture.Destination, r => r.WithVf(2, v => v with
        {
            Owner = null, Role = VfRole.None, Progress = VfProgress.Bound, RestoredStateSha256 = null, HostedStateSha256 = v.RestoredStateSha256,
        }));
        using var second = _fixture.Context(owner: Second);
        new AllowResumeStep(second).Run(StepFixture.Destination, 2, stateFormatVersion: 0);
        return saved.State.Sha256;
    }

    /// <summary>Another controller's state: SCID 2 of the source, suspended and saved by the second migration.</summary>
    private byte[] SecondStateFromSource()
    {
        using var context = _fixture.Context(owner: Second);
        new AllowMigrateStep(context).Run(StepFixture.Source, 2);
        new SuspendStep(context).Run(StepFixture.Source, 2);
        return new SaveStateStep(context).Run(StepFixture.Source, 2).State!.Data;
    }
}

using System.Buffers.Binary;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class MigrationStepsTests : IDisposable
{
    private readonly StepFixture _fixture = new();

    public MigrationStepsTests()
    {
        _fixture.PrepareMigrationPair();
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void SuspendSaveRestoreResume_Should_MoveTheStateAcrossPfs()
    {
        using var context = _fixture.Context();

        new SuspendStep(context).Run(StepFixture.Source, 1);
        SaveStateResult saved = new SaveStateStep(context).Run(StepFixture.Source, 1);
        new RestoreStateStep(context).Run(StepFixture.Destination, 2, saved.State!.Data, saved.State.Sha256, "test");
        new ResumeStep(context).Run(StepFixture.Destination, 2);

        Assert.True(_fixture.Emulated(StepFixture.Source).FindSecondary(1)!.Suspended);
        var target = _fixture.Emulated(StepFixture.Destination).FindSecondary(2)!;
        Assert.False(target.Suspended);
        Assert.Equal(("EMU0", 1), EmulatedControllerState.ReadOrigin(target.RestoredState));
        Assert.Equal(4096, saved.State.Length);
        Assert.Equal(saved.State.Sha256, _fixture.Journal.Read(StepFixture.Source)!.FindVf(1)!.SavedStateSha256);
        VfJournalEntry restored = _fixture.Journal.Read(StepFixture.Destination)!.FindVf(2)!;
        Assert.Equal((saved.State.Sha256, VfProgress.Resumed), (restored.RestoredStateSha256, restored.Progress));
    }

    [Fact]
    public void Suspend_Should_ChangeNothing_When_AlreadySuspended()
    {
        using var context = _fixture.Context();
        new SuspendStep(context).Run(StepFixture.Source, 1);
        int before = _fixture.MutationCount;

        StepResult again = new SuspendStep(context).Run(StepFixture.Source, 1);

        Assert.Empty(again.Actions);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void RestoreAndResume_Should_ChangeNothing_When_RunTwice()
    {
        byte[] state = SaveFromSource();
        using var context = _fixture.Context();
        new RestoreStateStep(context).Run(StepFixture.Destination, 2, state, null, "test");
        new ResumeStep(context).Run(StepFixture.Destination, 2);
        int before = _fixture.MutationCount;

        StepResult restore = new RestoreStateStep(context).Run(StepFixture.Destination, 2, state, null, "test");
        StepResult resume = new ResumeStep(context).Run(StepFixture.Destination, 2);

        Assert.Empty(restore.Actions);
        Assert.Empty(resume.Actions);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Restore_Should_RefuseBeforeAnyCommand_When_Sha256Differs()
    {
        byte[] state = SaveFromSource();
        int before = _fixture.MutationCount;
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new RestoreStateStep(context).Run(StepFixture.Destination, 2, state, new string('0', 64), "state.bin"));

        Assert.Equal(RefusalReason.StateMismatch, ex.Reason);
        Assert.Contains("expected 0000", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Restore_Should_RefuseBeforeAnyCommand_When_SizeDisagreesWithHeader()
    {
        byte[] truncated = SaveFromSource()[..1024];
        int before = _fixture.MutationCount;
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new RestoreStateStep(context).Run(StepFixture.Destination, 2, truncated, null, "state.bin"));

        Assert.Contains("is 1024 bytes but its header announces 4096", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Restore_Should_RefuseBeforeAnyCommand_When_FormatVersionUnsupported()
    {
        byte[] state = SaveFromSource();
        BinaryPrimitives.WriteUInt16LittleEndian(state, 9);
        int before = _fixture.MutationCount;
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new RestoreStateStep(context).Run(StepFixture.Destination, 2, state, null, "state.bin"));

        Assert.Contains("format version 9", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void Suspend_Should_Refuse_When_SecondaryNotAllowed()
    {
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new SuspendStep(context).Run(StepFixture.Source, 2));

        Assert.Contains("not allowed to migrate or resume", ex.Message);
        Assert.False(_fixture.Emulated(StepFixture.Source).FindSecondary(2)!.Suspended);
    }

    [Fact]
    public void Suspend_Should_Refuse_When_LockedToAnotherOwner()
    {
        using var context = _fixture.Context(owner: "intruder");

        var ex = Assert.Throws<HardwareRefusedException>(() => new SuspendStep(context).Run(StepFixture.Source, 1));

        Assert.Equal(RefusalReason.OwnedByOther, ex.Reason);
    }

    [Fact]
    public void Restore_Should_NameTheStatusAndJournalTheFailure_When_SetStateFails()
    {
        byte[] state = SaveFromSource();
        _fixture.Host.Faults.FailCommand(NvmeAdminOpcode.MigrationSend, 0x4002, select: MigrationFields.SendSelectSetControllerState);
        using var context = _fixture.Context();

        var ex = Assert.Throws<NvmeCommandException>(() => new RestoreStateStep(context).Run(StepFixture.Destination, 2, state, null, "test"));

        Assert.Equal(NvmeStatusCode.InvalidFieldInCommand, ex.Code);
        PfJournalRecord record = _fixture.Journal.Read(StepFixture.Destination)!;
        Assert.Null(record.Pending);
        Assert.Contains("Set Controller State", record.LastFailure);
        Assert.Null(record.FindVf(2)!.RestoredStateSha256);
        Assert.Equal(VfProgress.Suspended, record.FindVf(2)!.Progress);

        new RestoreStateStep(context).Run(StepFixture.Destination, 2, state, null, "test");
        Assert.NotNull(_fixture.Emulated(StepFixture.Destination).FindSecondary(2)!.RestoredState);
    }

    [Fact]
    public void Save_Should_FailAndSuspendSucceed_When_TheFaultSkipsTheSuspendProbe()
    {
        // Suspend probes with a header-only Get Controller State; skipping one match puts the fault on SaveState's read.
        _fixture.Host.Faults.FailCommand(NvmeAdminOpcode.MigrationReceive, 0x4006, select: MigrationFields.ReceiveSelectGetControllerState, skip: 1);
        using var context = _fixture.Context();

        new SuspendStep(context).Run(StepFixture.Source, 1);
        var ex = Assert.Throws<NvmeCommandException>(() => new SaveStateStep(context).Run(StepFixture.Source, 1));

        Assert.True(_fixture.Emulated(StepFixture.Source).FindSecondary(1)!.Suspended);
        Assert.Equal(NvmeStatusCode.InternalError, ex.Code);
        Assert.Equal(4096, new SaveStateStep(context).Run(StepFixture.Source, 1).State!.Length);
    }

    [Fact]
    public void Save_Should_PlanOnlyReads_When_DryRun()
    {
        using var context = _fixture.Context(dryRun: true);

        SaveStateResult plan = new SaveStateStep(context).Run(StepFixture.Source, 1);

        Assert.Null(plan.State);
        Assert.False(plan.Changed);
        Assert.Equal(NvmeAdminOpcode.MigrationReceive, Assert.Single(Assert.Single(plan.Actions).ToView().Commands!).Opcode);
    }

    private byte[] SaveFromSource()
    {
        using var context = _fixture.Context();
        new SuspendStep(context).Run(StepFixture.Source, 1);
        return new SaveStateStep(context).Run(StepFixture.Source, 1).State!.Data;
    }
}

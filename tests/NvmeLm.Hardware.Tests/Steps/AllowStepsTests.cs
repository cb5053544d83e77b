using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class AllowStepsTests : IDisposable
{
    private readonly StepFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void AllowMigrate_Should_RefuseNamingControllerAndCapability_When_PrimaryLacksHmlms()
    {
        _fixture.Enable(StepFixture.Plain);
        int before = _fixture.MutationCount;
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new AllowMigrateStep(context).Run(StepFixture.Plain, 1));

        Assert.Equal(RefusalReason.MissingCapability, ex.Reason);
        Assert.Contains("primary controller CNTLID 0 of PF 0000:03:00.0 (/dev/nvme2)", ex.Message);
        Assert.Contains("Host Managed Live Migration (OACS bit 11 HMLMS clear", ex.Message);
        Assert.Contains("SCID 1", ex.Message);
        Assert.Equal(before, _fixture.MutationCount);
        Assert.Null(_fixture.Journal.Read(StepFixture.Plain)!.FindVf(1)!.Owner);
    }

    [Fact]
    public void AllowMigrate_Should_Refuse_When_SecondaryOffline()
    {
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new AllowMigrateStep(context).Run(StepFixture.Source, 1));

        Assert.Equal(RefusalReason.WrongState, ex.Reason);
        Assert.Contains("SCID 1 of PF 0000:01:00.0 (/dev/nvme0) is offline", ex.Message);
        Assert.Null(_fixture.Journal.Read(StepFixture.Source));
    }

    [Fact]
    public void AllowMigrate_Should_LockToOwnerOnceWithoutHostWrites_When_RunTwice()
    {
        _fixture.Enable(StepFixture.Source);
        int before = _fixture.MutationCount;
        using var context = _fixture.Context();
        var step = new AllowMigrateStep(context);

        StepResult first = step.Run(StepFixture.Source, 2);
        StepResult second = step.Run(StepFixture.Source, 2);

        VfJournalEntry entry = _fixture.Journal.Read(StepFixture.Source)!.FindVf(2)!;
        Assert.Equal((StepFixture.Owner, VfRole.MigrationSource, VfProgress.Allowed), (entry.Owner, entry.Role, entry.Progress));
        Assert.Empty(first.Actions);
        Assert.Contains("already allowed", Assert.Single(second.Notes));
        Assert.Equal(before, _fixture.MutationCount);
    }

    [Fact]
    public void AllowMigrate_Should_Refuse_When_LockedByAnotherOwner()
    {
        _fixture.Enable(StepFixture.Source);
        using (var mine = _fixture.Context())
        {
            new AllowMigrateStep(mine).Run(StepFixture.Source, 1);
        }

        using var theirs = _fixture.Context(owner: "migration-b");
        var ex = Assert.Throws<HardwareRefusedException>(() => new AllowMigrateStep(theirs).Run(StepFixture.Source, 1));

        Assert.Equal(RefusalReason.OwnedByOther, ex.Reason);
        Assert.Contains($"locked to '{StepFixture.Owner}'", ex.Message);
    }

    [Fact]
    public void AllowResume_Should_Refuse_When_StateFormatUnsupported()
    {
        _fixture.Enable(StepFixture.Destination);
        using var context = _fixture.Context();

        var ex = Assert.Throws<HardwareRefusedException>(() => new AllowResumeStep(context).Run(StepFixture.Destination, 1, stateFormatVersion: 7));

        Assert.Equal(RefusalReason.StateMismatch, ex.Reason);
        Assert.Contains("format version 7 (supported: 0)", ex.Message);
        Assert.Null(_fixture.Journal.Read(StepFixture.Destination)!.FindVf(1)!.Owner);
    }

    [Fact]
    public void AllowResume_Should_ReserveAsResumeTarget_When_FormatSupported()
    {
        _fixture.Enable(StepFixture.Destination);
        using var context = _fixture.Context();

        new AllowResumeStep(context).Run(StepFixture.Destination, 1, stateFormatVersion: 0);

        Assert.Equal(VfRole.ResumeTarget, _fixture.Journal.Read(StepFixture.Destination)!.FindVf(1)!.Role);
    }

    [Fact]
    public void AllowResume_Should_Refuse_When_AlreadyReservedAsSource()
    {
        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context();
        new AllowMigrateStep(context).Run(StepFixture.Source, 1);

        var ex = Assert.Throws<HardwareRefusedException>(() => new AllowResumeStep(context).Run(StepFixture.Source, 1));

        Assert.Contains("already reserved as MigrationSource", ex.Message);
    }

    [Fact]
    public void AllowMigrate_Should_RecordNothing_When_DryRun()
    {
        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context(dryRun: true);

        StepResult result = new AllowMigrateStep(context).Run(StepFixture.Source, 1);

        Assert.Contains("would be recorded as MigrationSource", Assert.Single(result.Notes));
        Assert.Null(_fixture.Journal.Read(StepFixture.Source)!.FindVf(1)!.Owner);
    }
}

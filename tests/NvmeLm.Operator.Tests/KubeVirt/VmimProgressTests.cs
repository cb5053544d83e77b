using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.Operator.Tests.KubeVirt;

/// <summary>Issue 11: a <c>stateTransfer: Vmm</c> window follows its VMIM's phase into the transaction and the timeline.</summary>
public sealed class VmimProgressTests
{
    private static readonly DateTime Seen = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(VmimPhases.Pending, MigrationPhase.Suspending)]
    [InlineData(VmimPhases.Scheduling, MigrationPhase.Suspending)]
    [InlineData(VmimPhases.Scheduled, MigrationPhase.Suspending)]
    [InlineData(VmimPhases.PreparingTarget, MigrationPhase.Suspending)]
    [InlineData(VmimPhases.TargetReady, MigrationPhase.Suspending)]
    [InlineData(VmimPhases.Running, MigrationPhase.TransferringState)]
    [InlineData(VmimPhases.Succeeded, MigrationPhase.Completing)]
    public void Reached_Should_FollowTheVmimPhase(string vmimPhase, MigrationPhase expected)
    {
        var progress = new VmimProgress("m", vmimPhase);

        Assert.Equal(expected, progress.Reached);
        Assert.Equal(vmimPhase == VmimPhases.Succeeded, progress.Committed);
        Assert.False(progress.Failed);
    }

    [Fact]
    public void Record_Should_FinishEveryPhasePassedAndRunTheCurrentOne_When_PhasesWereSkippedBetweenReads()
    {
        var status = new V1Alpha1NvmeMigration.EntityStatus();
        new VmimProgress("m", VmimPhases.Scheduling).Record(status, "node-b", Seen);
        new VmimProgress("m", VmimPhases.TargetReady).Record(status, "node-b", Seen.AddSeconds(1));

        Assert.Equal(
            [("Vmim.Pending", StepResult.Succeeded), ("Vmim.Scheduling", StepResult.Succeeded), ("Vmim.Scheduled", StepResult.Succeeded),
             ("Vmim.PreparingTarget", StepResult.Succeeded), ("Vmim.TargetReady", StepResult.Running)],
            status.Steps!.Select(s => (s.Name, s.Result)));
        Assert.All(status.Steps!, s => Assert.Equal("node-b", s.Node));
    }

    [Fact]
    public void Record_Should_FinishAllPhases_When_TheVmimSucceeded()
    {
        var status = new V1Alpha1NvmeMigration.EntityStatus();
        new VmimProgress("m", VmimPhases.Running).Record(status, "node-b", Seen);
        new VmimProgress("m", VmimPhases.Succeeded).Record(status, "node-b", Seen.AddSeconds(2));

        Assert.Equal(VmimPhases.InOrder.Select(VmimProgress.StepName), status.Steps!.Select(s => s.Name));
        Assert.All(status.Steps!, s => Assert.Equal(StepResult.Succeeded, s.Result));
    }

    [Fact]
    public void Record_Should_FailTheStepLastSeenRunning_When_TheVmimFailed()
    {
        var status = new V1Alpha1NvmeMigration.EntityStatus();
        new VmimProgress("m", VmimPhases.PreparingTarget).Record(status, "node-b", Seen);
        var failed = new VmimProgress("nvmelm-x", VmimPhases.Failed);
        failed.Record(status, "node-b", Seen.AddSeconds(1));

        Assert.True(failed.Failed);
        Assert.False(failed.Committed);
        var last = status.Steps!.Last();
        Assert.Equal(("Vmim.PreparingTarget", StepResult.Failed), (last.Name, last.Result));
        Assert.Contains("nvmelm-x", last.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(status.Steps!, s => s.Result == StepResult.Running);
    }

    [Fact]
    public void Record_Should_AddAFailedStep_When_TheVmimFailedBeforeAnyPhaseWasSeen()
    {
        var status = new V1Alpha1NvmeMigration.EntityStatus();
        new VmimProgress("nvmelm-x", VmimPhases.Failed).Record(status, "node-b", Seen);

        var only = Assert.Single(status.Steps!);
        Assert.Equal(("Vmim.Failed", StepResult.Failed), (only.Name, only.Result));
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;
using k8s;

namespace NvmeLm.Operator.Tests.Migrations;

/// <summary>
/// The commit point (DESIGN §4.1) is the destination's Resume, which its agent performs on its own once armed: a failure
/// the operator notices after it rolls forward, and a rollback resumes the source only once the destination confirmed
/// it let go without resuming. A controller never runs on both sides.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CommitPointTests
{
    private const string SourceVf = "0000:01:00.1";

    [Fact]
    public async Task Delete_Should_RollForward_When_TheDestinationResumedBeforeTheOperatorSawTheDeletion()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var first = await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        var vmState = cluster.AgentA.Vf(SourceVf).State.ToArray();
        cluster.AgentA.Hang(NodeOperationType.SaveState);
        var created = await cluster.CreateMigrationAsync("late-delete", SourceVf);
        await cluster.WaitForPhaseAsync("late-delete", MigrationPhase.TransferringState);

        // The operator goes away inside the window; the agents go on without it: save, restore, resume (committed).
        await cluster.StopOperatorAsync(first);
        cluster.AgentA.Unhang();
        var uid = created.Metadata.Uid!;
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentB.ExecutionsOf(OperationIds.For(uid, OperationIds.Resume)) == 1), "the destination resumed");
        // Then the user deletes the migration: the next operator sees a deletion mid-way and starts to roll back.
        await cluster.Migrations.DeleteAsync(new NamespacedName("default", "late-delete"), CancellationToken.None);
        await cluster.StartOperatorAsync("operator-2");
        await Eventually.TrueAsync(async () => await cluster.GetMigrationAsync("late-delete") is null, "migration finished and gone");

        // Rolled forward: the VM runs on the destination with its state; the source was never resumed.
        var destination = cluster.AgentB.Vf(DestinationVfOf(cluster));
        Assert.Equal(vmState, destination.State);
        Assert.False(destination.Suspended);
        Assert.Equal(0, cluster.AgentA.ExecutionsOf(OperationIds.For(uid, OperationIds.RollbackResume)));
        var events = await Eventually.MatchAsync(
            () => cluster.Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=late-delete"),
            list => list.Items.Any(e => e.Reason == "Succeeded"), "the Succeeded Event of late-delete");
        var reasons = events.Items.OrderBy(e => long.Parse(e.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)).Select(e => e.Reason).ToList();
        Assert.Equal(["RollingBack", "Completing", "Succeeded"], reasons.SkipWhile(r => r != "RollingBack").ToArray());
        Assert.Contains(events.Items, e => e.Reason == "Completing" && e.Message.Contains("rolling forward", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollback_Should_KeepTheSourceSuspended_When_TheDestinationNeverConfirmsItLetGo()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        cluster.AgentA.Hang(NodeOperationType.SaveState);
        var created = await cluster.CreateMigrationAsync("dead-destination", SourceVf, timeoutSeconds: 10);
        await cluster.WaitForPhaseAsync("dead-destination", MigrationPhase.TransferringState);

        // The destination's agent dies while armed; the source's save then completes. Whether the destination restored
        // and resumed cannot be known, so the source must not be resumed.
        await cluster.AgentB.DisposeAsync();
        cluster.AgentA.Unhang();
        var failed = await cluster.WaitForPhaseAsync("dead-destination", MigrationPhase.Failed, timeoutMs: 60_000);

        Assert.Equal(FailureReasons.RollbackIncomplete, failed.Status!.FailureReason);
        Assert.True(cluster.AgentA.Vf(SourceVf).Suspended);
        Assert.Equal(0, cluster.AgentA.ExecutionsOf(OperationIds.For(created.Metadata.Uid!, OperationIds.RollbackResume)));
        Assert.Equal(SecondaryRole.MigrationSource, cluster.AgentA.Vf(SourceVf).Role);
        var degraded = failed.Status.Conditions!.Single(c => c.Type == MigrationConditions.Degraded);
        Assert.Equal(("True", FailureReasons.RollbackIncomplete), (degraded.Status, degraded.Reason));
        Assert.Contains("may still resume", degraded.Message, StringComparison.Ordinal);
    }

    private static string DestinationVfOf(OperatorTestCluster cluster) =>
        cluster.AgentB.MigrationActions.Last(a => a.StartsWith("Resume ", StringComparison.Ordinal))["Resume ".Length..];
}

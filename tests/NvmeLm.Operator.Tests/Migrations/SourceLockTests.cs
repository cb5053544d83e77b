using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Migrations;

/// <summary>When rollback cannot resume the source, the source VF stays locked (its VM state may be in it) until the migration is deleted.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SourceLockTests
{
    [Fact]
    public async Task Migration_Should_KeepTheSourceLockedUntilDeleted_When_RollbackCannotResumeTheSource()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        cluster.AgentA.FailNext(NodeOperationType.SaveState);
        cluster.AgentA.Hang(NodeOperationType.Resume);
        var created = await cluster.CreateMigrationAsync("stuck-source", "0000:01:00.1");
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentA.WasRequested(NodeOperationType.Resume)), "rollback resume requested");
        cluster.AgentA.Unhang();
        cluster.AgentA.FailNext(NodeOperationType.Resume);

        // The hung resume answered Running; the next pass of the fake agent runs it again and it fails.
        var failed = await cluster.WaitForPhaseAsync("stuck-source", MigrationPhase.Failed);

        Assert.Equal(FailureReasons.SourceResumeFailed, failed.Status!.FailureReason);
        Assert.Equal("True", failed.Status.Conditions!.Single(c => c.Type == MigrationConditions.Degraded).Status);
        Assert.Equal(SecondaryRole.MigrationSource, cluster.AgentA.Vf("0000:01:00.1").Role);
        Assert.Contains(MigrationConditions.Finalizer, (await cluster.GetMigrationAsync("stuck-source"))!.Metadata.Finalizers!);

        await cluster.Migrations.DeleteAsync(new NvmeLm.Kube.NamespacedName("default", "stuck-source"), CancellationToken.None);
        await Eventually.TrueAsync(async () => await cluster.GetMigrationAsync("stuck-source") is null, "deleted once the lock is released");
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentA.Vf("0000:01:00.1").Role == SecondaryRole.Pool), "source VF released");
        Assert.Equal(created.Metadata.Uid, failed.Metadata.Uid);
    }

    [Fact]
    public async Task Rollback_Should_EndRollbackIncompleteAndKeepTheSourceLocked_When_TheSourceAgentNeverAnswers()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        cluster.AgentA.FailNext(NodeOperationType.SaveState);
        cluster.AgentA.Hang(NodeOperationType.Resume);

        await cluster.CreateMigrationAsync("unanswered", "0000:01:00.1", timeoutSeconds: 10);
        var failed = await cluster.WaitForPhaseAsync("unanswered", MigrationPhase.Failed, timeoutMs: 40_000);

        Assert.Equal(FailureReasons.RollbackIncomplete, failed.Status!.FailureReason);
        Assert.Equal(("True", FailureReasons.RollbackIncomplete),
            failed.Status.Conditions!.Where(c => c.Type == MigrationConditions.Degraded).Select(c => (c.Status, c.Reason)).Single());
        var source = (await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeA)).Spec;
        Assert.Contains(source.Operations!, o => o.Id.EndsWith("-" + OperationIds.RollbackResume, StringComparison.Ordinal));
        Assert.Equal(SecondaryRole.MigrationSource, source.PhysicalFunctions!.Single().Secondaries!.Single(s => s.VfNumber == 1).Role);
        Assert.True(cluster.AgentA.Vf("0000:01:00.1").Suspended);

        // The agent comes back: it finishes the requested resume; the lock stays until the migration is deleted.
        cluster.AgentA.Unhang();
        await Eventually.TrueAsync(() => Task.FromResult(!cluster.AgentA.Vf("0000:01:00.1").Suspended), "pending resume performed");
        await cluster.Migrations.DeleteAsync(new NvmeLm.Kube.NamespacedName("default", "unanswered"), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentA.Vf("0000:01:00.1").Role == SecondaryRole.Pool), "source VF released");
    }
}

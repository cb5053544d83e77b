using k8s;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Migrations;

/// <summary>A failure at each phase after hardware was touched rolls back to a clean Failed.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RollbackTests
{
    private const string SourceVf = "0000:01:00.1";

    public enum FailurePoint
    {
        PrepareDestination,
        PrepareSource,
        Suspend,
        SaveState,
        RestoreState,
        Resume,
    }

    [Theory]
    [InlineData(FailurePoint.PrepareDestination, FailureReasons.DestinationPrepareFailed, false, StepNames.ReserveDestination)]
    [InlineData(FailurePoint.PrepareSource, FailureReasons.SourcePrepareFailed, false, StepNames.AllowMigrate)]
    [InlineData(FailurePoint.Suspend, FailureReasons.SuspendFailed, true, StepNames.Suspend)]
    [InlineData(FailurePoint.SaveState, FailureReasons.SaveStateFailed, true, StepNames.SaveState)]
    [InlineData(FailurePoint.RestoreState, FailureReasons.RestoreStateFailed, true, StepNames.RestoreState)]
    [InlineData(FailurePoint.Resume, FailureReasons.ResumeFailed, true, StepNames.Resume)]
    public async Task Migration_Should_RollBackToCleanFailed_When_AStepFails(FailurePoint point, string expectedReason, bool sourceResumeRequested, string failedStep)
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        var vmState = cluster.AgentA.Vf(SourceVf).State.ToArray();
        switch (point)
        {
            case FailurePoint.PrepareDestination:
                cluster.AgentB.RefuseRole(SecondaryRole.ResumeTarget, "bind to vfio-pci failed: EBUSY");
                break;
            case FailurePoint.PrepareSource:
                cluster.AgentA.RefuseRole(SecondaryRole.MigrationSource, "secondary controller offline");
                break;
            case FailurePoint.Suspend:
                cluster.AgentA.FailNext(NodeOperationType.Suspend);
                break;
            case FailurePoint.SaveState:
                cluster.AgentA.FailNext(NodeOperationType.SaveState);
                break;
            case FailurePoint.RestoreState:
                cluster.AgentB.FailNext(NodeOperationType.RestoreState, "DigestMismatch", "state digest differs");
                break;
            case FailurePoint.Resume:
                cluster.AgentB.FailNext(NodeOperationType.Resume);
                break;
        }

        var created = await cluster.CreateMigrationAsync("doomed", SourceVf);
        var failed = await cluster.WaitForPhaseAsync("doomed", MigrationPhase.Failed);

        Assert.Equal(expectedReason, failed.Status!.FailureReason);
        var degraded = failed.Status.Conditions!.Single(c => c.Type == MigrationConditions.Degraded);
        Assert.Equal(("False", "RolledBack"), (degraded.Status, degraded.Reason));
        var failedSteps = failed.Status.Steps!.Where(s => s.Result == StepResult.Failed).ToList();
        Assert.Equal(failedStep, Assert.Single(failedSteps).Name);
        Assert.Contains(expectedReason, failedSteps[0].Message, StringComparison.Ordinal);
        // Every step before the failed one is recorded as done (rolled back later), none after it ran.
        Assert.All(failed.Status.Steps!.TakeWhile(s => s.Name != failedStep), s => Assert.Equal(StepResult.RolledBack, s.Result));
        Assert.Contains(failed.Status.Steps!, s => s.Name == StepNames.RollbackReleaseDestination && s.Result == StepResult.Succeeded);
        Assert.Equal(sourceResumeRequested, failed.Status.Steps!.Any(s => s.Name == StepNames.RollbackResumeSource));
        Assert.Equal(sourceResumeRequested ? 1 : 0, cluster.AgentA.ExecutionsOf(OperationIds.For(created.Metadata.Uid!, OperationIds.RollbackResume)));
        await AssertCleanAsync(cluster, failed, vmState);
    }

    [Fact]
    public async Task Migration_Should_FailWithTimeoutAndResumeSource_When_AStepNeverFinishes()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        var vmState = cluster.AgentA.Vf(SourceVf).State.ToArray();
        cluster.AgentA.Hang(NodeOperationType.SaveState);

        await cluster.CreateMigrationAsync("slow", SourceVf, timeoutSeconds: 10);
        var failed = await cluster.WaitForPhaseAsync("slow", MigrationPhase.Failed, timeoutMs: 40_000);

        Assert.Equal(FailureReasons.Timeout, failed.Status!.FailureReason);
        Assert.Contains(failed.Status.Steps!, s => s.Name == StepNames.SaveState && s.Result == StepResult.Failed);
        Assert.Contains(failed.Status.Steps!, s => s.Name == StepNames.RollbackResumeSource && s.Result == StepResult.Succeeded);
        await AssertCleanAsync(cluster, failed, vmState);
    }

    [Fact]
    public async Task Delete_Should_RollBackBeforeTheObjectGoes_When_MigrationIsMidWay()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        var vmState = cluster.AgentA.Vf(SourceVf).State.ToArray();
        cluster.AgentA.Hang(NodeOperationType.SaveState);
        var created = await cluster.CreateMigrationAsync("deleted", SourceVf);
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentA.WasRequested(NodeOperationType.SaveState)), "SaveState requested");
        Assert.True(cluster.AgentA.Vf(SourceVf).Suspended);

        await cluster.Migrations.DeleteAsync(new NamespacedName("default", "deleted"), CancellationToken.None);
        await Eventually.TrueAsync(async () => await cluster.GetMigrationAsync("deleted") is null, "migration gone after rollback");

        Assert.False(cluster.AgentA.Vf(SourceVf).Suspended);
        Assert.Equal(vmState, cluster.AgentA.Vf(SourceVf).State);
        Assert.Equal(1, cluster.AgentA.ExecutionsOf(OperationIds.For(created.Metadata.Uid!, OperationIds.RollbackResume)));
        var events = await cluster.Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=deleted");
        Assert.Contains(events.Items, e => e.Reason == "RollingBack" && e.Message.Contains(FailureReasons.Deleted, StringComparison.Ordinal));
        Assert.Contains(events.Items, e => e.Reason == "Failed");
        await AssertNodesCleanAsync(cluster);
    }

    private static async Task AssertCleanAsync(OperatorTestCluster cluster, V1Alpha1NvmeMigration failed, byte[] vmState)
    {
        var source = cluster.AgentA.Vf(SourceVf);
        Assert.False(source.Suspended);
        Assert.Equal(vmState, source.State);
        Assert.Equal(SecondaryRole.Pool, source.Role);
        if (failed.Status!.Destination?.VfAddress is { } destinationVf)
        {
            var destination = cluster.AgentB.Vf(destinationVf);
            Assert.Equal(SecondaryRole.Pool, destination.Role);
            Assert.False(destination.Suspended);
        }

        await Eventually.TrueAsync(async () => (await cluster.GetMigrationAsync(failed.Metadata.Name))!.Metadata.Finalizers is null or { Count: 0 },
            "finalizer removed");
        Assert.Null(await cluster.Secrets.TryGetAsync(new NamespacedName("default", StateSecret.NameFor(failed)), CancellationToken.None));
        await AssertNodesCleanAsync(cluster);
    }

    private static async Task AssertNodesCleanAsync(OperatorTestCluster cluster)
    {
        foreach (var node in new[] { OperatorTestCluster.NodeA, OperatorTestCluster.NodeB })
        {
            var nvmeNode = await cluster.GetNvmeNodeAsync(node);
            Assert.Empty(nvmeNode.Spec.Operations ?? []);
            Assert.All(nvmeNode.Spec.PhysicalFunctions!.SelectMany(p => p.Secondaries!), s => Assert.Equal(SecondaryRole.Pool, s.Role));
            await Eventually.TrueAsync(async () => (await cluster.GetNvmeNodeAsync(node)).Status!.PhysicalFunctions!
                .SelectMany(p => p.Secondaries!).All(s => s.Role == SecondaryRole.Pool && s.OwnerUid is null), $"{node} reports every VF in the pool");
        }
    }
}

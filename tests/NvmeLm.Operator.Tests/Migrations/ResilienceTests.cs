using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer.Faults;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Migrations;

/// <summary>Operator restarts, leader changes, 409 storms and dropped watches: the migration still ends Succeeded, each step once.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ResilienceTests
{
    private const string SourceVf = "0000:01:00.1";

    [Theory]
    [InlineData(NodeOperationType.Suspend, OperatorTestCluster.NodeA)]
    [InlineData(NodeOperationType.SaveState, OperatorTestCluster.NodeA)]
    [InlineData(NodeOperationType.RestoreState, OperatorTestCluster.NodeB)]
    [InlineData(NodeOperationType.Resume, OperatorTestCluster.NodeB)]
    public async Task Migration_Should_ContinueFromStatus_When_OperatorRestartsWhileAnOperationRuns(NodeOperationType hangAt, string node)
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var first = await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        var agent = node == OperatorTestCluster.NodeA ? cluster.AgentA : cluster.AgentB;
        agent.Hang(hangAt);
        var created = await cluster.CreateMigrationAsync("restarted", SourceVf);
        await Eventually.TrueAsync(() => Task.FromResult(agent.WasRequested(hangAt)), $"{hangAt} requested");

        await cluster.StopOperatorAsync(first);
        var phaseAtStop = (await cluster.GetMigrationAsync("restarted"))!.Status!.Phase;
        await cluster.StartOperatorAsync("operator-2");
        agent.Unhang();
        var done = await cluster.WaitForPhaseAsync("restarted", MigrationPhase.Succeeded);

        Assert.NotEqual(MigrationPhase.Succeeded, phaseAtStop);
        AssertEachOperationOnce(cluster, created.Metadata.Uid!);
        Assert.NotEmpty(cluster.WritesBy("operator-2", "nvmemigrations"));
        Assert.Equal(done.Status!.Steps!.Count, done.Status.Steps!.Select(s => s.Name).Distinct().Count());
    }

    [Fact]
    public async Task LeaderElection_Should_LetOnlyTheLeaderAct_And_HandOverMidMigration_When_TheLeaderDies()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var one = await cluster.StartOperatorAsync("operator-1", leaderElection: true, releaseLeaseOnStop: false);
        var two = await cluster.StartOperatorAsync("operator-2", leaderElection: true, releaseLeaseOnStop: false);
        await Eventually.TrueAsync(() => Task.FromResult(one.IsLeader || two.IsLeader), "a leader is elected");
        var (leader, standby, leaderId, standbyId) = one.IsLeader ? (one, two, "operator-1", "operator-2") : (two, one, "operator-2", "operator-1");
        await cluster.ProvisionAsync();
        cluster.AgentA.Hang(NodeOperationType.SaveState);
        var created = await cluster.CreateMigrationAsync("handover", SourceVf);
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentA.WasRequested(NodeOperationType.SaveState)), "SaveState requested");

        Assert.False(standby.IsLeader);
        Assert.Empty(cluster.WritesBy(standbyId, "nvmemigrations"));
        Assert.Empty(cluster.WritesBy(standbyId, "nvmenodes"));
        Assert.NotEmpty(cluster.WritesBy(leaderId, "nvmemigrations"));

        // The leader dies without releasing its lease: the standby takes over once the lease expires.
        await cluster.StopOperatorAsync(leader);
        cluster.AgentA.Unhang();
        await Eventually.TrueAsync(() => Task.FromResult(standby.IsLeader), "standby becomes leader", TimeSpan.FromSeconds(20));
        await cluster.WaitForPhaseAsync("handover", MigrationPhase.Succeeded);

        Assert.NotEmpty(cluster.WritesBy(standbyId, "nvmemigrations"));
        AssertEachOperationOnce(cluster, created.Metadata.Uid!);
    }

    [Fact]
    public async Task Migration_Should_Succeed_When_ApiAnswers409StormsAndDropsWatches()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        using var stop = new CancellationTokenSource();
        var chaos = Task.Run(async () =>
        {
            var round = 0;
            var armedUntil = 0;
            while (!stop.IsCancellationRequested)
            {
                // A storm of 409s on the operator's writes, re-armed once the previous one was used up (pending rules
                // would otherwise pile up and fail every write); ObjectUpdater re-reads and retries, the queue backs off.
                if (cluster.Server.Faults.Injected >= armedUntil)
                {
                    cluster.Server.Faults.FailNext(4, 409, new RequestMatch(Verb: "update", Resource: "nvmemigrations", Identity: "operator"));
                    cluster.Server.Faults.FailNext(4, 409, new RequestMatch(Verb: "update", Resource: "nvmenodes", Identity: "operator"));
                    armedUntil = cluster.Server.Faults.Injected + 8;
                }

                if (round++ % 3 == 0)
                {
                    cluster.Server.Faults.ForceGoneOnNextWatch(new RequestMatch(Identity: "operator"));
                }

                cluster.Server.Faults.CloseAllWatches();
                await Task.Delay(1200);
            }
        });

        var created = await cluster.CreateMigrationAsync("stormy", SourceVf);
        try
        {
            await cluster.WaitForPhaseAsync("stormy", MigrationPhase.Succeeded, timeoutMs: 60_000);
        }
        finally
        {
            await stop.CancelAsync();
            await chaos;
            cluster.Server.Faults.Clear();
        }

        Assert.True(cluster.Server.Faults.Injected > 0);
        AssertEachOperationOnce(cluster, created.Metadata.Uid!);
    }

    private static void AssertEachOperationOnce(OperatorTestCluster cluster, string uid)
    {
        foreach (var (agent, step) in new[] { (cluster.AgentA, OperationIds.Suspend), (cluster.AgentA, OperationIds.SaveState),
                     (cluster.AgentB, OperationIds.RestoreState), (cluster.AgentB, OperationIds.Resume) })
        {
            Assert.Equal(1, agent.ExecutionsOf(OperationIds.For(uid, step)));
        }

        Assert.Equal(0, cluster.AgentA.ExecutionsOf(OperationIds.For(uid, OperationIds.RollbackResume)));
    }
}

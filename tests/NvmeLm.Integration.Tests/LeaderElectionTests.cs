using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;
using NvmeLm.Hardware.Nvme;
using NvmeLm.TestSupport;

namespace NvmeLm.Integration.Tests;

/// <summary>Two operator replicas: only the Lease holder acts; when it dies mid-migration the other finishes the migration.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class LeaderElectionTests
{
    [Fact]
    public async Task Standby_Should_FinishTheMigration_When_LeaderIsKilledMidway()
    {
        await using var cluster = await SimulatedCluster.StartAsync(TestClusters.Options(operators: 0));
        var leader = await cluster.StartOperatorAsync(releaseLeaseOnStop: false);
        await Eventually.TrueAsync(() => leader.IsLeader, "the first replica leads");
        await cluster.ApplySamplePoolAsync();
        await cluster.WaitForProvisionedAsync(n => DemoLayout.SamplePoolVfs, TimeSpan.FromSeconds(60), CancellationToken.None);
        var standby = await cluster.StartOperatorAsync(releaseLeaseOnStop: false);
        var standbyIdentity = SimulatedCluster.OperatorIdentity(standby.Options.Identity);
        var leaderIdentity = SimulatedCluster.OperatorIdentity(leader.Options.Identity);

        // Hold the source's Suspend for a while so the leader dies with the transaction in flight.
        var source = cluster.Node("worker-1");
        source.Host.Faults.DelayCommand(NvmeAdminOpcode.MigrationSend, TimeSpan.FromSeconds(1), MigrationFields.SendSelectSuspend);
        var vf = (await cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        await cluster.CreateMigrationAsync("failover", "worker-1", vf, "worker-2");
        await Eventually.TrueAsync(async () => (await cluster.Migrations.GetAsync(new("default", "failover"), CancellationToken.None)).Status?.Phase
            is MigrationPhase.Suspending or MigrationPhase.TransferringState, "the migration reaches Suspending");

        Assert.False(standby.IsLeader);
        Assert.Empty(cluster.Server.Audit.Where(r => r.Identity == standbyIdentity && r.IsWrite && r.Resource is "nvmemigrations" or "nvmenodes"));
        Assert.NotEmpty(cluster.Server.Audit.Where(r => r.Identity == leaderIdentity && r.IsWrite && r.Resource == "nvmemigrations"));

        await cluster.StopOperatorAsync(leader);
        var migration = await cluster.WaitForTerminalAsync("failover", TestClusters.MigrationTimeout);

        Assert.Equal(MigrationPhase.Succeeded, migration.Status!.Phase);
        Assert.True(standby.IsLeader);
        Assert.NotEmpty(cluster.Server.Audit.Where(r => r.Identity == standbyIdentity && r.IsWrite && r.Resource == "nvmemigrations"));
        Assert.Empty(await LeakCheck.RunAsync(cluster, [migration], TimeSpan.FromSeconds(20), CancellationToken.None));
    }
}

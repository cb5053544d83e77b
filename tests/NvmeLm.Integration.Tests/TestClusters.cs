using NvmeLm.DevCluster;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.Integration.Tests;

/// <summary>Simulated clusters tuned for tests: short resync, watch and lease periods, so kills and drops heal in seconds.</summary>
internal static class TestClusters
{
    public static readonly TimeSpan MigrationTimeout = TimeSpan.FromSeconds(60);

    public static SimulatedClusterOptions Options(IReadOnlyList<SimulatedNodeSpec>? nodes = null, int operators = 1) => new()
    {
        Nodes = nodes ?? SimulatedClusterOptions.NodeSpecs(2),
        Operators = operators,
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(300),
        Migrations = new MigrationOptions { PollInterval = TimeSpan.FromMilliseconds(500) },
        OperatorResyncPeriod = TimeSpan.FromSeconds(10),
        Agents = new AgentTuning
        {
            ResyncPeriod = TimeSpan.FromSeconds(2),
            HeartbeatPeriod = TimeSpan.FromSeconds(30),
            WatchTimeout = TimeSpan.FromSeconds(30),
            StallTimeout = TimeSpan.FromSeconds(10),
        },
    };

    /// <summary>Starts a cluster, applies the sample pool and waits until every pool VF is provisioned.</summary>
    public static async Task<SimulatedCluster> StartProvisionedAsync(SimulatedClusterOptions options, int vfsPerPf = DemoLayout.SamplePoolVfs)
    {
        var cluster = await SimulatedCluster.StartAsync(options);
        try
        {
            await cluster.ApplySamplePoolAsync(vfsPerPf == DemoLayout.SamplePoolVfs ? null : vfsPerPf);
            await cluster.WaitForProvisionedAsync(
                n => n.Spec.LiveMigration ? vfsPerPf * n.Spec.PfCount : 0, TimeSpan.FromSeconds(60), CancellationToken.None);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}

using NvmeLm.DevCluster;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// worker-1 and worker-2 with live-migration capable PFs, worker-3 with a PF that has SR-IOV but no host-managed
/// live migration (OACS bit 11 clear); the sample pool provisions all three.
/// </summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public SimulatedCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var nodes = SimulatedClusterOptions.NodeSpecs(2).Append(new SimulatedNodeSpec { Name = "worker-3", LiveMigration = false }).ToList();
        Cluster = await TestClusters.StartProvisionedAsync(TestClusters.Options(nodes));
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

using NvmeLm.DevCluster;

namespace NvmeLm.Integration.Tests;

/// <summary>worker-1 and worker-2, each with two live-migration capable PFs, the sample pool provisioned.</summary>
public sealed class TwoNodeFixture : IAsyncLifetime
{
    public SimulatedCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await TestClusters.StartProvisionedAsync(TestClusters.Options(SimulatedClusterOptions.NodeSpecs(2, pfCount: 2)));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

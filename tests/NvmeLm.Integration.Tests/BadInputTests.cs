using System.Net;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;

namespace NvmeLm.Integration.Tests;

/// <summary>Every bad request ends with a clear reason before any hardware is touched (zero writes on every emulated host).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private SimulatedCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Migration_Should_FailWithDestinationNodeNotFound_When_DestinationNodeIsUnknown()
    {
        var vf = (await Cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        await AssertFailsWithoutHardwareWritesAsync("bad-unknown-node", "worker-1", vf, "worker-9", "DestinationNodeNotFound");
    }

    [Fact]
    public async Task Migration_Should_FailWithSourceNodeNotFound_When_SourceNodeIsUnknown() =>
        await AssertFailsWithoutHardwareWritesAsync("bad-unknown-source", "worker-9", "0000:01:00.1", "worker-2", "SourceNodeNotFound");

    [Fact]
    public async Task Migration_Should_FailWithNoCapablePf_When_DestinationPfLacksLiveMigration()
    {
        var vf = (await Cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        await AssertFailsWithoutHardwareWritesAsync("bad-no-capable-pf", "worker-1", vf, "worker-3", "NoCapablePf");
    }

    [Fact]
    public async Task Migration_Should_FailWithSourceVfNotMigratable_When_SourcePfLacksLiveMigration() =>
        await AssertFailsWithoutHardwareWritesAsync("bad-not-migratable", "worker-3", "0000:01:00.1", "worker-2", "SourceVfNotMigratable");

    [Fact]
    public async Task Migration_Should_FailWithNoFreeDestinationVf_When_PinnedDestinationVfIsNotAFreePoolVf()
    {
        var vf = (await Cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        // The pool provisions 4 VFs (0000:01:00.1-.4); .6 is not a free pool VF.
        await AssertFailsWithoutHardwareWritesAsync("bad-no-free-vf", "worker-1", vf, "worker-2", "NoFreeDestinationVf",
            spec => spec.Destination.VfAddress = "0000:01:00.6");
    }

    [Fact]
    public async Task Create_Should_BeRejectedByTheApiServer_When_SourceAndDestinationAreTheSameNode()
    {
        var mark = HardwareLogs.Mark(Cluster);
        var vf = (await Cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        var error = await Assert.ThrowsAsync<KubeApiException>(() => Cluster.CreateMigrationAsync("bad-same-node", "worker-1", vf, "worker-1"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Contains("source.node and destination.node must differ", error.Message, StringComparison.Ordinal);
        // Refused at admission, so never stored: no controller ever gets an event for it.
        Assert.Null(await Cluster.Migrations.TryGetAsync(new NamespacedName("default", "bad-same-node"), CancellationToken.None));
        Assert.Empty(HardwareLogs.MutationsSince(Cluster, mark));
    }

    [Fact]
    public async Task Update_Should_BeRejectedByTheApiServer_When_ImmutableSourceIsEdited()
    {
        var vf = (await Cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        var mark = HardwareLogs.Mark(Cluster);
        await Cluster.CreateMigrationAsync("bad-immutable", "worker-1", vf, "worker-2", MigrationMode.Plan);
        var key = new NamespacedName("default", "bad-immutable");

        var error = await Assert.ThrowsAsync<KubeApiException>(() =>
            Cluster.Migrations.PatchAsync(key, """{"spec":{"source":{"vfAddress":"0000:01:00.3"}}}""", CancellationToken.None));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Contains("source is immutable", error.Message, StringComparison.Ordinal);
        var stored = await Cluster.Migrations.GetAsync(key, CancellationToken.None);
        Assert.Equal(vf, stored.Spec.Source.VfAddress);
        Assert.Empty(HardwareLogs.MutationsSince(Cluster, mark));
    }

    private async Task AssertFailsWithoutHardwareWritesAsync(
        string name, string sourceNode, string sourceVf, string destinationNode, string reason, Action<V1Alpha1NvmeMigration.EntitySpec>? customize = null)
    {
        var mark = HardwareLogs.Mark(Cluster);
        await Cluster.CreateMigrationAsync(name, sourceNode, sourceVf, destinationNode, customize: customize);

        var migration = await Cluster.WaitForTerminalAsync(name, TestClusters.MigrationTimeout);

        Assert.Equal(MigrationPhase.Failed, migration.Status!.Phase);
        Assert.Equal(reason, migration.Status.FailureReason);
        var ready = Assert.Single(migration.Status.Conditions!, c => c.Type == "Ready");
        Assert.Equal("False", ready.Status);
        Assert.Equal(reason, ready.Reason);
        Assert.False(string.IsNullOrWhiteSpace(ready.Message));
        Assert.Empty(HardwareLogs.MutationsSince(Cluster, mark));
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;

namespace NvmeLm.Operator.Tests.Migrations;

/// <summary>Every bad input ends Failed with a clear reason and zero hardware actions requested.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ValidationTests
{
    public enum BadInput
    {
        UnknownSourceNode,
        UnknownDestinationNode,
        SourceVfNotFound,
        SourceVfNotMigratable,
        NoCapablePfOnDestination,
        IncompatibleStateFormat,
        DestinationVfNotFree,
    }

    [Theory]
    [InlineData(BadInput.UnknownSourceNode, FailureReasons.SourceNodeNotFound)]
    [InlineData(BadInput.UnknownDestinationNode, FailureReasons.DestinationNodeNotFound)]
    [InlineData(BadInput.SourceVfNotFound, FailureReasons.SourceVfNotFound)]
    [InlineData(BadInput.SourceVfNotMigratable, FailureReasons.SourceVfNotMigratable)]
    [InlineData(BadInput.NoCapablePfOnDestination, FailureReasons.NoCapablePf)]
    [InlineData(BadInput.IncompatibleStateFormat, FailureReasons.NoCapablePf)]
    [InlineData(BadInput.DestinationVfNotFree, FailureReasons.NoFreeDestinationVf)]
    public async Task Migration_Should_FailWithReasonAndRequestNothing_When_InputIsBad(BadInput input, string expectedReason)
    {
        FakePf[]? pfsA = input == BadInput.SourceVfNotMigratable ? [new FakePf(OperatorTestCluster.PfA, HostManagedLiveMigration: false)] : null;
        FakePf[]? pfsB = input switch
        {
            BadInput.NoCapablePfOnDestination => [new FakePf(OperatorTestCluster.PfB, HostManagedLiveMigration: false)],
            BadInput.IncompatibleStateFormat => [new FakePf(OperatorTestCluster.PfB, StateFormatVersions: [7])],
            _ => null,
        };
        await using var cluster = await OperatorTestCluster.StartAsync(pfsA, pfsB);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();

        // The destination's VF 1 is taken by another migration's reservation first, for the "not free" case.
        var (sourceNode, sourceVf, destinationNode, destinationVf) = input switch
        {
            BadInput.UnknownSourceNode => ("node-x", "0000:01:00.1", OperatorTestCluster.NodeB, (string?)null),
            BadInput.UnknownDestinationNode => (OperatorTestCluster.NodeA, "0000:01:00.1", "node-x", null),
            BadInput.SourceVfNotFound => (OperatorTestCluster.NodeA, "0000:01:00.7", OperatorTestCluster.NodeB, null),
            BadInput.DestinationVfNotFree => (OperatorTestCluster.NodeA, "0000:01:00.1", OperatorTestCluster.NodeB, "0000:02:00.6"),
            _ => (OperatorTestCluster.NodeA, "0000:01:00.1", OperatorTestCluster.NodeB, null),
        };
        var auditMark = cluster.Server.Audit.Count;
        await cluster.CreateMigrationAsync("bad", sourceVf, destinationNode, sourceNode, destinationVf: destinationVf);

        var failed = await cluster.WaitForPhaseAsync("bad", MigrationPhase.Failed);

        Assert.Equal(expectedReason, failed.Status!.FailureReason);
        var ready = failed.Status.Conditions!.Single(c => c.Type == MigrationConditions.Ready);
        Assert.Equal(("False", expectedReason), (ready.Status, ready.Reason));
        Assert.False(string.IsNullOrWhiteSpace(ready.Message));
        Assert.Null(failed.Status.StartTime);
        Assert.Empty(failed.Metadata.Finalizers ?? []);
        await HappyPathTests.AssertNothingRequestedAsync(cluster);
        Assert.DoesNotContain(cluster.Server.Audit.Snapshot().Skip(auditMark),
            r => r.IsWrite && r.Identity == "operator" && r.Resource is "nvmenodes" or "secrets");
    }

    [Fact]
    public async Task Create_Should_BeRejected_When_SameNodeWithoutAllowSameNode()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();

        var error = await Assert.ThrowsAsync<KubeApiException>(() =>
            cluster.CreateMigrationAsync("same", "0000:01:00.1", destinationNode: OperatorTestCluster.NodeA));

        Assert.Equal(422, (int)error.StatusCode);
        Assert.Contains("must differ unless allowSameNode", error.Message, StringComparison.Ordinal);
        Assert.Null(await cluster.GetMigrationAsync("same"));
    }

    [Fact]
    public async Task Update_Should_BeRejected_When_DestinationIsEdited()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.CreateMigrationAsync("fixed", "0000:01:00.1", mode: MigrationMode.Plan);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => cluster.Migrations.PatchAsync(
            new NamespacedName("default", "fixed"), """{"spec":{"destination":{"node":"node-c"}}}""", CancellationToken.None));

        Assert.Equal(422, (int)error.StatusCode);
        Assert.Contains("destination is immutable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Should_RefuseSameNode_When_AllowSameNodeIsFalse()
    {
        var migration = new V1Alpha1NvmeMigration
        {
            Metadata = new() { Name = "m", Uid = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10" },
            Spec = new() { Source = new() { Node = "n", VfAddress = "0000:01:00.1" }, Destination = new() { Node = "n" } },
        };

        var outcome = MigrationValidator.Validate(migration, _ => null);

        Assert.Equal(FailureReasons.SameNode, Assert.IsType<ValidationOutcome.Invalid>(outcome).Reason);
    }
}

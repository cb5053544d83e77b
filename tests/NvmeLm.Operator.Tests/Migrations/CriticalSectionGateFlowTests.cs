using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Migrations;

/// <summary>
/// The per-node critical-section limit end to end: a migration whose nodes are busy waits in Ready, fully prepared, and
/// enters once a slot frees; while it waits, a VM turning up on its destination VF sends it back to pick another.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CriticalSectionGateFlowTests
{
    [Fact]
    public async Task Migration_Should_WaitInReadyAndPickAnotherDestination_When_ItsNodesAreBusyAndAVmTurnsUpOnItsDestination()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync(maxCriticalSectionsPerNode: 1);
        await cluster.ProvisionAsync();
        // "first" holds node-a's and node-b's only slot: its source's SaveState hangs inside the window.
        cluster.AgentA.Hang(NodeOperationType.SaveState);
        await cluster.CreateMigrationAsync("first", "0000:01:00.1");
        await cluster.WaitForPhaseAsync("first", MigrationPhase.TransferringState);
        await cluster.CreateMigrationAsync("second", "0000:01:00.2");
        var waiting = await cluster.WaitForPhaseAsync("second", MigrationPhase.Ready);
        var picked = waiting.Status!.Destination!.VfAddress!;
        Assert.False(cluster.AgentA.Vf("0000:01:00.2").Suspended);

        // A migration created now names second's destination VF as its source: a VM runs there after all.
        await cluster.CreateMigrationAsync("third", picked, destinationNode: OperatorTestCluster.NodeA, sourceNode: OperatorTestCluster.NodeB);
        await Eventually.TrueAsync(async () => (await cluster.GetMigrationAsync("second"))!.Status!.Destination!.VfAddress != picked,
            "second picked another destination");
        cluster.AgentA.Unhang();

        var migrations = await Task.WhenAll(new[] { "first", "second", "third" }.Select(n => cluster.WaitForPhaseAsync(n, MigrationPhase.Succeeded)));
        var second = migrations[1];
        Assert.NotEqual(picked, second.Status!.Destination!.VfAddress);
        Assert.Equal(2, second.Status.Steps!.Count(s => s.Name == StepNames.ReserveDestination));
        // Only one migration at a time was ever inside its critical section: second suspended after first resumed.
        var firstResumed = migrations[0].Status!.Downtime!.ResumedAt!.Value;
        Assert.True(second.Status.Downtime!.SuspendedAt >= firstResumed, $"second suspended at {second.Status.Downtime.SuspendedAt:O}, first resumed at {firstResumed:O}");
    }
}

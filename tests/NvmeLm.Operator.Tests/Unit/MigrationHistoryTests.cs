using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.Operator.Tests.Unit;

/// <summary>Which VFs run a VM's controller as the migrations tell it (the picker's view beside allocations).</summary>
public sealed class MigrationHistoryTests
{
    [Theory]
    [InlineData(MigrationPhase.Resuming, false)]
    [InlineData(MigrationPhase.Completing, true)]
    [InlineData(MigrationPhase.Succeeded, true)]
    public void Destination_Should_BeBusy_When_TheMigrationIsPastItsCommitPoint(MigrationPhase phase, bool busy)
    {
        // In Completing the destination runs the controller and its reservation may already be released in the
        // NvmeNode spec, before the Succeeded write: the 100-node demo saw a second migration restore over such a VF.
        var migration = Migration("a", "node-a", "0000:01:00.1", "node-b", "0000:02:00.1", phase);

        var occupied = MigrationHistory.OccupiedVfs([migration], "node-b");

        Assert.Equal(busy, occupied.Contains("0000:02:00.1"));
    }

    [Fact]
    public void Source_Should_StayBusy_When_TheMigrationIsOnlyCompleting()
    {
        var migration = Migration("a", "node-a", "0000:01:00.1", "node-b", "0000:02:00.1", MigrationPhase.Completing);

        Assert.Contains("0000:01:00.1", MigrationHistory.OccupiedVfs([migration], "node-a"));
    }

    private static V1Alpha1NvmeMigration Migration(string name, string sourceNode, string sourceVf, string destinationNode, string destinationVf, MigrationPhase phase) =>
        new()
        {
            Metadata = new V1ObjectMeta { Name = name, Uid = name, CreationTimestamp = new DateTime(2026, 12, 4, 0, 0, 0, DateTimeKind.Utc) },
            Spec = new V1Alpha1NvmeMigration.EntitySpec
            {
                Source = new MigrationSource { Node = sourceNode, VfAddress = sourceVf },
                Destination = new MigrationDestination { Node = destinationNode },
            },
            Status = new V1Alpha1NvmeMigration.EntityStatus
            {
                Phase = phase,
                Source = new ResolvedEndpoint { Node = sourceNode, VfAddress = sourceVf },
                Destination = new ResolvedEndpoint { Node = destinationNode, VfAddress = destinationVf },
                CompletionTime = phase == MigrationPhase.Succeeded ? new DateTime(2026, 12, 4, 0, 1, 0, DateTimeKind.Utc) : null,
            },
        };
}

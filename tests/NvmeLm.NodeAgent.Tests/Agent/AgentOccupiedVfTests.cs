using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>
/// The agent refuses to restore over a VF that runs a controller an earlier migration moved in and handed back (the
/// shape of the bug the 100-node demo found: the picker chose a VF another migration had just resumed in): the
/// RestoreState fails with <c>InUseByVmm</c> before any command, Resume never runs, and the running controller is
/// untouched.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class AgentOccupiedVfTests
{
    private const string Second = "0b6f51a2-8d0e-4b59-a1c4-5e3f7d9a2c61";

    [Fact]
    public async Task ArmedRestore_Should_FailWithoutTouchingTheVf_When_AnEarlierMigrationResumedItsControllerThere()
    {
        await using var cluster = await AgentCluster.StartAsync();
        await AgentArmedRestoreTests.PreparedSourceAsync(cluster);
        var (destination, _, _) = await AgentArmedRestoreTests.ArmedDestinationAsync(cluster, "source");
        NodeOperationResult saved = await AgentArmedRestoreTests.SaveAsync(cluster);
        await cluster.WaitForStatusAsync("destination",
            n => AgentCluster.Result(n, AgentOperationTests.Uid + "-resume")?.State == OperationState.Succeeded, "the first migration resumed");
        // The first migration commits and hands the VF back to the pool (its operations dropped); the VF keeps running.
        V1Alpha1NvmeNode released = await cluster.UpdateSpecAsync("destination", spec =>
        {
            AgentSpecTests.TwoVfs(spec);
            spec.Operations = null;
        });
        await cluster.WaitForStatusAsync("destination", n => n.Status!.ObservedGeneration >= released.Metadata.Generation, "the VF handed back");
        EmulatedSecondaryController target = destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!;
        byte[] running = target.RestoredState!;

        // A second migration holds the same VF as its destination and asks for a restore and a resume.
        await cluster.UpdateSpecAsync("destination", spec =>
        {
            AgentSpecTests.TwoVfs(spec, SecondaryRole.ResumeTarget, Second);
            AgentOperationTests.Request(spec, Operation("restore-state", NodeOperationType.RestoreState, saved.StateSha256), Operation("resume", NodeOperationType.Resume));
            spec.Operations![1].After = Second + "-restore-state";
        });
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("destination", Second + "-restore-state");

        NodeOperationResult refused = AgentCluster.Result(node, Second + "-restore-state")!;
        Assert.Equal((OperationState.Failed, "InUseByVmm"), (refused.State, refused.Reason));
        Assert.Contains($"runs a controller an earlier migration moved in (state sha256 {saved.StateSha256})", refused.Message, StringComparison.Ordinal);
        Assert.Null(AgentCluster.Result(node, Second + "-resume"));
        Assert.Equal(1, destination.AttemptedMigrationSends(MigrationFields.SendSelectSetControllerState));
        Assert.Equal(1, destination.AttemptedMigrationSends(MigrationFields.SendSelectResume));
        Assert.False(target.Suspended);
        Assert.Equal(running, target.RestoredState);
    }

    private static NodeOperation Operation(string step, NodeOperationType type, string? sha256 = null)
    {
        NodeOperation operation = AgentOperationTests.Operation(step, type, sha256);
        operation.Id = Second + "-" + step;
        operation.OwnerUid = Second;
        return operation;
    }
}

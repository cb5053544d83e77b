using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Emulated;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.Agent;

[Collection(AgentCollection.Name)]
public sealed class AgentSpecDuringSyncTests
{
    private const string Owner = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10";

    [Fact]
    public async Task Agent_Should_ApplyASpecChangedDuringASync_When_ItsStatusWriteAlreadyCarriesTheNewSpec()
    {
        // A resync far beyond the test's patience: only the change event itself can get the new spec applied.
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMinutes(10), heartbeat: TimeSpan.FromMinutes(10));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");

        host.Faults.DelayWrite("sriov_numvfs", TimeSpan.FromSeconds(2));
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec));
        // autoprobe is written just before numvfs: the agent is now inside the slow sync of the first spec.
        await Eventually.MatchAsync(
            () => Task.FromResult(host.PhysicalFunction(AgentHosts.MigratablePf).DriversAutoprobe),
            autoprobe => !autoprobe,
            "the agent to start applying the first spec");
        V1Alpha1NvmeNode second = await cluster.UpdateSpecAsync(
            "worker-1", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, Owner));

        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the second spec applied");

        Assert.Equal(second.Metadata.Generation, node.Status!.ObservedGeneration);
        var vf2 = node.Status.PhysicalFunctions!.Single(p => p.Address == AgentHosts.MigratablePf.ToString())
            .Secondaries!.Single(s => s.VfNumber == 2);
        Assert.Equal(SecondaryRole.MigrationSource, vf2.Role);
    }
}

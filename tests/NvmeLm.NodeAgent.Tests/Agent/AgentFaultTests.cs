using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Kube.Resources;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>Host faults while the agent applies a spec or runs an operation: reported clearly, then converged or failed once.</summary>
[Collection(AgentCollection.Name)]
public sealed class AgentFaultTests
{
    [Fact]
    public async Task Agent_Should_ReportTheErrorThenConverge_When_ANumVfsWriteFailsOnce()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromSeconds(1));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");
        // The write keeps failing until the error has been seen in status: a single failure heals on the next
        // retry, often before a poll could see it.
        host.Faults.FailWrite("sriov_numvfs", Errnos.EIO, count: int.MaxValue);

        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec));
        V1Alpha1NvmeNode failed = await cluster.WaitForStatusAsync("worker-1", n => n.Status!.LastSyncError is not null, "the failed write reported");
        host.Faults.Clear();
        V1Alpha1NvmeNode healed = await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the next resync converged");

        Assert.Contains(AgentHosts.MigratablePf.ToString(), failed.Status!.LastSyncError, StringComparison.Ordinal);
        Assert.True(Conditions.IsTrue(failed.Status.Conditions, AgentConditions.Degraded));
        Assert.Null(healed.Status!.LastSyncError);
        Assert.True(Conditions.IsFalse(healed.Status.Conditions, AgentConditions.Degraded));
        Assert.Equal(2, host.PhysicalFunction(AgentHosts.MigratablePf).NumVfs);
    }

    [Fact]
    public async Task Suspend_Should_FailOnceWithNvmeStatus_When_TheControllerRejectsIt()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, AgentOperationTests.Uid));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");
        // Internal Error (generic status 0x06) on the next Migration Send Suspend.
        host.Faults.FailCommand(NvmeAdminOpcode.MigrationSend, 0x0006, select: MigrationFields.SendSelectSuspend);

        await cluster.UpdateSpecAsync("worker-1", spec => AgentOperationTests.Request(spec, AgentOperationTests.Operation("suspend", NodeOperationType.Suspend)));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", AgentOperationTests.Uid + "-suspend");
        await cluster.WaitForFullSyncsAsync("worker-1");

        NodeOperationResult result = AgentCluster.Result(node, AgentOperationTests.Uid + "-suspend")!;
        Assert.Equal((OperationState.Failed, "NvmeStatus"), (result.State, result.Reason));
        Assert.NotNull(result.FinishedAt);
        // Failed is final: later resyncs do not retry the operation (the operator decides; a new id would run).
        Assert.Equal(1, host.AttemptedMigrationSends(MigrationFields.SendSelectSuspend));
        Assert.Equal(0, host.EffectiveMigrationSends(MigrationFields.SendSelectSuspend));
        Assert.False(host.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!.Suspended);
    }

    [Fact]
    public async Task SaveState_Should_FailWithSecretNotFound_When_TheOperatorDidNotCreateTheSecret()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        await cluster.UpdateSpecAsync("worker-1", spec =>
        {
            AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, AgentOperationTests.Uid);
            AgentOperationTests.Request(spec,
                AgentOperationTests.Operation("suspend", NodeOperationType.Suspend), AgentOperationTests.Operation("save-state", NodeOperationType.SaveState));
        });

        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", AgentOperationTests.Uid + "-save-state");

        NodeOperationResult result = AgentCluster.Result(node, AgentOperationTests.Uid + "-save-state")!;
        Assert.Equal((OperationState.Failed, StateTransferException.SecretNotFound), (result.State, result.Reason));
        Assert.Contains(AgentOperationTests.SecretName, result.Message, StringComparison.Ordinal);
        Assert.Null(await cluster.Secrets.TryGetAsync(new Kube.NamespacedName(AgentCluster.StateNamespace, AgentOperationTests.SecretName), CancellationToken.None));
    }

    [Fact]
    public async Task Operation_Should_FailAsUnknownDevice_When_ItsVfIsOnAPfTheSpecDoesNotSelect()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, AgentOperationTests.Uid));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");
        int before = host.WriteLog.Mutations.Count;

        NodeOperation elsewhere = AgentOperationTests.Operation("suspend", NodeOperationType.Suspend);
        elsewhere.VfAddress = "0000:02:00.1";
        await cluster.UpdateSpecAsync("worker-1", spec => AgentOperationTests.Request(spec, elsewhere));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", elsewhere.Id);

        Assert.Equal((OperationState.Failed, "UnknownDevice"), (AgentCluster.Result(node, elsewhere.Id)!.State, AgentCluster.Result(node, elsewhere.Id)!.Reason));
        Assert.Equal(before, host.WriteLog.Mutations.Count);
        Assert.Empty(host.MutationsOf(AgentHosts.PlainPf, "/dev/nvme1"));
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer.Faults;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Kube;
using NvmeLm.Kube.Resources;
using NvmeLm.NodeAgent.Agent;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>Agent restarts, hardware drift and API faults: the agent converges and never repeats a step with effect.</summary>
[Collection(AgentCollection.Name)]
public sealed class AgentRecoveryTests
{
    private const string SuspendId = AgentOperationTests.Uid + "-suspend";

    /// <summary>One agent holding VF 2 as a migration source that suspended it; returns the host and the journal directory.</summary>
    private static async Task<(EmulatedHost Host, string Journal, NodeAgentHost Agent)> SuspendedSourceAsync(AgentCluster cluster)
    {
        EmulatedHost host = AgentHosts.Create();
        string journal = cluster.NewJournalDirectory();
        NodeAgentHost agent = await cluster.StartAgentAsync("worker-1", host, journal);
        await cluster.UpdateSpecAsync("worker-1", spec =>
        {
            AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, AgentOperationTests.Uid);
            AgentOperationTests.Request(spec, AgentOperationTests.Operation("suspend", NodeOperationType.Suspend));
        });
        await cluster.WaitForResultAsync("worker-1", SuspendId);
        Assert.Equal(1, host.EffectiveMigrationSends(MigrationFields.SendSelectSuspend));
        return (host, journal, agent);
    }

    private static Task ClearResultsAsync(AgentCluster cluster) =>
        cluster.Nodes.UpdateStatusAsync(NamespacedName.Cluster("worker-1"), n =>
        {
            n.Status!.OperationResults = null;
            return true;
        }, CancellationToken.None);

    [Fact]
    public async Task Restart_Should_RepublishResultWithoutRerunning_When_StatusWasLost()
    {
        await using var cluster = await AgentCluster.StartAsync();
        var (host, journal, agent) = await SuspendedSourceAsync(cluster);
        await agent.StopAsync();
        // The status write of the result was lost with the old agent: only the host journal remembers.
        await ClearResultsAsync(cluster);

        await cluster.StartAgentAsync("worker-1", host, journal);
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", SuspendId);

        Assert.Equal(OperationState.Succeeded, AgentCluster.Result(node, SuspendId)!.State);
        Assert.Equal(1, host.AttemptedMigrationSends(MigrationFields.SendSelectSuspend));
    }

    [Fact]
    public async Task Restart_Should_NotRerunWithEffect_When_AgentDiedAfterTheHostWrite()
    {
        await using var cluster = await AgentCluster.StartAsync();
        var (host, journal, agent) = await SuspendedSourceAsync(cluster);
        await agent.StopAsync();
        // A crash after the suspend reached the controller but before the outcome was recorded: the operation
        // journal still says Running and the status has no result.
        var operations = new OperationJournal(journal, "worker-1");
        OperationRecord record = operations.Find(SuspendId)!;
        operations.Stage(record with { State = OperationState.Running, FinishedAt = null, Message = null });
        operations.Flush();

        await RestartFindsItSuspendedAsync(cluster, host, journal);
    }

    /// <summary>
    /// The window's steps wait for no synced write of the operation journal (OperationJournal.Stage): an agent that dies
    /// after the suspend reached the controller may leave no record of the operation at all, and no published result.
    /// The restarted agent runs it again, and the hardware (suspended already) makes that a no-op.
    /// </summary>
    [Fact]
    public async Task Restart_Should_NotRerunWithEffect_When_AgentDiedAfterTheHostWriteBeforeAnyOperationRecord()
    {
        await using var cluster = await AgentCluster.StartAsync();
        var (host, journal, agent) = await SuspendedSourceAsync(cluster);
        await agent.StopAsync();
        SlottedFileWriter.Delete(new OperationJournal(journal, "worker-1").Path);

        await RestartFindsItSuspendedAsync(cluster, host, journal);
    }

    /// <summary>With no published result, a restarted agent runs the suspend again and finds it done: no second Suspend is sent.</summary>
    private static async Task RestartFindsItSuspendedAsync(AgentCluster cluster, EmulatedHost host, string journal)
    {
        await ClearResultsAsync(cluster);

        NodeAgentHost restarted = await cluster.StartAgentAsync("worker-1", host, journal);
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", SuspendId);

        NodeOperationResult result = AgentCluster.Result(node, SuspendId)!;
        Assert.Equal(OperationState.Succeeded, result.State);
        Assert.Contains("already suspended", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, host.EffectiveMigrationSends(MigrationFields.SendSelectSuspend));
        Assert.Equal(1, host.AttemptedMigrationSends(MigrationFields.SendSelectSuspend));
        Assert.True(restarted.Operations.Find(SuspendId)!.IsTerminal);
    }

    [Fact]
    public async Task Restart_Should_NotRerun_When_OperationJournalIsGoneButStatusHasTheResult()
    {
        await using var cluster = await AgentCluster.StartAsync();
        var (host, journal, agent) = await SuspendedSourceAsync(cluster);
        await agent.StopAsync();
        SlottedFileWriter.Delete(new OperationJournal(journal, "worker-1").Path);
        // Resume the controller behind the agent's back: a re-run of the suspend would now have an effect.
        using (var admin = host.Open("/dev/nvme0"))
        {
            new NvmeAdminClient(admin).Resume(2);
        }

        await cluster.StartAgentAsync("worker-1", host, journal);
        await cluster.WaitForFullSyncsAsync("worker-1");

        V1Alpha1NvmeNode node = await cluster.GetNodeAsync("worker-1");
        Assert.Equal(OperationState.Succeeded, AgentCluster.Result(node, SuspendId)!.State);
        Assert.Equal(1, host.EffectiveMigrationSends(MigrationFields.SendSelectSuspend));
    }

    [Fact]
    public async Task Restart_Should_ConvergeAndClearThePendingIntent_When_AWriteTimedOutBeforeTheAgentDied()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        string journal = cluster.NewJournalDirectory();
        NodeAgentHost agent = await cluster.StartAgentAsync("worker-1", host, journal, resync: TimeSpan.FromMinutes(5));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");
        // sriov_numvfs writes whose outcome is unknown (ETIMEDOUT) until the agent dies: the journal keeps the intent
        // pending (the agent's back-off retries meet the same fault).
        host.Faults.FailWrite("sriov_numvfs", Errnos.ETIMEDOUT, count: 1000);
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec));
        V1Alpha1NvmeNode failed = await cluster.WaitForStatusAsync("worker-1", n => n.Status!.LastSyncError is not null, "the timed-out write reported");
        await agent.StopAsync();
        var hardwareJournal = new HostJournal(journal);
        Assert.NotNull(hardwareJournal.Read(AgentHosts.MigratablePf)!.Pending);
        Assert.Contains("ETIMEDOUT", failed.Status!.LastSyncError, StringComparison.Ordinal);
        host.Faults.Clear();

        await cluster.StartAgentAsync("worker-1", host, journal, resync: TimeSpan.FromMinutes(5));
        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the restarted agent converged");

        Assert.Null(node.Status!.LastSyncError);
        Assert.Null(hardwareJournal.Read(AgentHosts.MigratablePf)!.Pending);
        Assert.Equal(2, host.PhysicalFunction(AgentHosts.MigratablePf).NumVfs);
        // Exactly one effective numvfs write: the timed-out one changed nothing, the restarted agent's did.
        Assert.Single(host.WriteLog.Changes, r => r.Target.EndsWith("sriov_numvfs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperationsOnlySpecChange_Should_RunTheOperationWithoutReapplyingPfs_When_ThePfSpecWasJustApplied()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        // A long resync: within it, only a change of the PF part of the spec re-applies the PFs.
        await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMinutes(5));
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, AgentOperationTests.Uid));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");
        host.WriteAllText($"/sys/bus/pci/devices/{AgentHosts.MigratablePf}/sriov_drivers_autoprobe", "1");

        await cluster.UpdateSpecAsync("worker-1", spec => AgentOperationTests.Request(spec, AgentOperationTests.Operation("suspend", NodeOperationType.Suspend)));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", AgentOperationTests.Uid + "-suspend");

        Assert.Equal(OperationState.Succeeded, AgentCluster.Result(node, AgentOperationTests.Uid + "-suspend")!.State);
        // The hand-made change is still there: the request did not re-converge the PF (the resync will).
        Assert.Equal("1", host.ReadAllText($"/sys/bus/pci/devices/{AgentHosts.MigratablePf}/sriov_drivers_autoprobe").Trim());

        V1Alpha1NvmeNode changed = await cluster.UpdateSpecAsync("worker-1", spec => spec.PhysicalFunctions![0].Pool = "slow");
        await cluster.WaitForStatusAsync("worker-1", n => n.Status!.ObservedGeneration == changed.Metadata.Generation, "the PF change applied at once");
        Assert.Equal("0", host.ReadAllText($"/sys/bus/pci/devices/{AgentHosts.MigratablePf}/sriov_drivers_autoprobe").Trim());
    }

    [Fact]
    public async Task SpecChangeOfOnePf_Should_ReapplyOnlyThatPf_When_TheOtherWasJustApplied()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMinutes(5));
        await cluster.UpdateSpecAsync("worker-1", spec =>
        {
            AgentSpecTests.TwoVfs(spec);
            spec.PhysicalFunctions!.Add(new PhysicalFunctionSpec
            {
                Address = AgentHosts.PlainPf.ToString(),
                NumVfs = 1,
                Pool = "plain",
                Secondaries = [new SecondaryControllerSpec { VfNumber = 1, Queues = 2, Interrupts = 1 }],
            });
        });
        await cluster.WaitForStatusAsync("worker-1", n => AgentCluster.IsReady(n) && n.Status!.VfCount == 3, "both PFs applied");
        string plainAutoprobe = $"/sys/bus/pci/devices/{AgentHosts.PlainPf}/sriov_drivers_autoprobe";
        string migratableAutoprobe = $"/sys/bus/pci/devices/{AgentHosts.MigratablePf}/sriov_drivers_autoprobe";
        host.WriteAllText(plainAutoprobe, "1");
        host.WriteAllText(migratableAutoprobe, "1");

        V1Alpha1NvmeNode changed = await cluster.UpdateSpecAsync("worker-1", spec => spec.PhysicalFunctions![0].Pool = "slow");
        await cluster.WaitForStatusAsync("worker-1", n => n.Status!.ObservedGeneration == changed.Metadata.Generation, "the change applied");

        // The changed PF was re-applied (its hand-made change undone); the other was not touched (the resync will).
        Assert.Equal("0", host.ReadAllText(migratableAutoprobe).Trim());
        Assert.Equal("1", host.ReadAllText(plainAutoprobe).Trim());
    }

    [Fact]
    public async Task Resync_Should_ReportAndCorrectDrift_When_NumVfsIsChangedOnTheHost()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        NodeAgentHost agent = await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMilliseconds(300));
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");

        // Someone changes sriov_numvfs by hand (through the host's sysfs, not the agent).
        host.WriteAllText($"/sys/bus/pci/devices/{AgentHosts.MigratablePf}/sriov_numvfs", "0");
        Assert.Equal(0, host.PhysicalFunction(AgentHosts.MigratablePf).NumVfs);

        await Eventually.MatchAsync(() => Task.FromResult(agent.Reconciler.DriftCorrections), n => n > 0, "the drift corrected by a resync");
        var events = await Eventually.MatchAsync(
            async () => (await cluster.Events.ListAsync(AgentCluster.StateNamespace, null, CancellationToken.None)).Items ?? [],
            items => items.Any(e => e.Reason == AgentConditions.DriftCorrectedReason), "the DriftCorrected event");
        var drift = events.First(e => e.Reason == AgentConditions.DriftCorrectedReason);
        Assert.Equal(EventType.Warning, drift.Type);
        Assert.Equal("worker-1", drift.InvolvedObject.Name);
        Assert.Contains("sriov_numvfs", drift.Message, StringComparison.Ordinal);
        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("worker-1",
            n => n.Status!.VfCount == 2 && Conditions.Find(n.Status.Conditions, AgentConditions.Drifted)?.Reason == AgentConditions.DriftCorrectedReason,
            "the status back at 2 VFs with the correction recorded");
        Assert.True(AgentCluster.IsReady(node));
        var drifted = Conditions.Find(node.Status!.Conditions, AgentConditions.Drifted)!;
        Assert.Equal(Conditions.False, drifted.Status);
        Assert.Contains("sriov_numvfs", drifted.Message, StringComparison.Ordinal);
        Assert.True(Conditions.IsFalse(node.Status.Conditions, AgentConditions.Degraded));
        Assert.Equal(2, host.PhysicalFunction(AgentHosts.MigratablePf).NumVfs);
        Assert.Equal(["vfio-pci", "vfio-pci"], AgentHosts.VfDrivers(host, 2));
    }

    [Fact]
    public async Task Agent_Should_ApplyLaterSpec_When_WatchesAreDroppedAndTheNextWatchGets410()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        // A long resync: only the watch can deliver the new spec in time.
        NodeAgentHost agent = await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMinutes(5));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");

        cluster.Server.Faults.ForceGoneOnNextWatch();
        cluster.Server.Faults.CloseAllWatches();
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec));

        await cluster.WaitForStatusAsync("worker-1", n => AgentCluster.IsReady(n) && n.Status!.VfCount == 2, "the spec applied after the watch recovered");
        Assert.Equal(2, host.PhysicalFunction(AgentHosts.MigratablePf).NumVfs);
        Assert.True(agent.HasSynced);
    }

    [Fact]
    public async Task Agent_Should_WriteStatusSoon_When_StatusWritesFailManyTimesInARow()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        // A long resync: only the failed reconcile's back-off retry can write the status in time.
        await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMinutes(5));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");
        // The agent patches its status (it is the only writer, so no 409 from the operator's spec writes): a run of
        // server errors longer than any one retry must still end in a written status, through the reconcile back-off.
        cluster.Server.Faults.FailNext(15, 500, new RequestMatch(Verb: "patch", Resource: "nvmenodes", Subresource: "status"));

        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec));

        await cluster.WaitForStatusAsync("worker-1", n => AgentCluster.IsReady(n) && n.Status!.VfCount == 2, "the status written after the storm");
        Assert.True(cluster.Server.Faults.Injected >= 15, $"only {cluster.Server.Faults.Injected} errors were injected");
    }

    [Fact]
    public async Task Agent_Should_RecreateItsNvmeNode_When_ItIsDeleted()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        V1Alpha1NvmeNode first = await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");

        await cluster.Nodes.DeleteAsync(NamespacedName.Cluster("worker-1"), CancellationToken.None);

        V1Alpha1NvmeNode? again = await Eventually.MatchAsync(
            () => cluster.Nodes.TryGetAsync(NamespacedName.Cluster("worker-1"), CancellationToken.None),
            n => n is not null && n.Metadata.Uid != first.Metadata.Uid && n.Status is not null, "a new NvmeNode with status");
        Assert.Equal(2, again!.Status!.PfCount);
    }
}

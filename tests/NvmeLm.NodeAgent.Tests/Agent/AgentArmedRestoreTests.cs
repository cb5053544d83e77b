using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Kube.Resources;
using NvmeLm.Kube;
using NvmeLm.NodeAgent.Agent;
using NvmeLm.TestSupport;
using k8s.Models;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>
/// A destination armed ahead of the state (DESIGN §4.1): RestoreState with <c>stateFrom</c> and Resume after it are
/// requested before the source is suspended; the destination agent waits without a result, restores and resumes the
/// moment the source reports its SaveState, verifies against the digest the source reported, and does nothing once the
/// operator let go of its VF.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class AgentArmedRestoreTests
{
    private const string Uid = AgentOperationTests.Uid;
    private const string RestoreId = Uid + "-restore-state";
    private const string ResumeId = Uid + "-resume";
    private const string SaveId = Uid + "-save-state";

    private static void Arm(V1Alpha1NvmeNode.EntitySpec spec, string sourceNode)
    {
        NodeOperation restore = AgentOperationTests.Operation("restore-state", NodeOperationType.RestoreState);
        restore.StateFrom = new OperationReference { Node = sourceNode, OperationId = SaveId };
        NodeOperation resume = AgentOperationTests.Operation("resume", NodeOperationType.Resume);
        resume.After = RestoreId;
        AgentOperationTests.Request(spec, restore, resume);
    }

    /// <summary>Starts the destination agent with VF 2 held and armed (one write, as the operator does), waits until it applied it.</summary>
    internal static async Task<(EmulatedHost Host, NodeAgentHost Agent, V1Alpha1NvmeNode Node)> ArmedDestinationAsync(AgentCluster cluster, string sourceNode)
    {
        EmulatedHost host = AgentHosts.Create("DST");
        NodeAgentHost agent = await cluster.StartAgentAsync("destination", host);
        if (await cluster.Secrets.TryGetAsync(new NamespacedName(AgentCluster.StateNamespace, AgentOperationTests.SecretName), CancellationToken.None) is null)
        {
            await cluster.CreateStateSecretAsync(AgentOperationTests.SecretName);
        }

        V1Alpha1NvmeNode written = await cluster.UpdateSpecAsync("destination", spec =>
        {
            AgentSpecTests.TwoVfs(spec, SecondaryRole.ResumeTarget, Uid);
            Arm(spec, sourceNode);
        });
        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("destination",
            n => AgentCluster.IsReady(n) && n.Status!.ObservedGeneration >= written.Metadata.Generation, "destination prepared and armed");
        return (host, agent, node);
    }

    /// <summary>Starts the source agent with VF 2 held as MigrationSource.</summary>
    internal static async Task<EmulatedHost> PreparedSourceAsync(AgentCluster cluster)
    {
        EmulatedHost source = AgentHosts.Create("SRC");
        await cluster.StartAgentAsync("source", source);
        await cluster.UpdateSpecAsync("source", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, Uid));
        await cluster.WaitForStatusAsync("source", AgentCluster.IsReady, "source prepared");
        return source;
    }

    /// <summary>Suspend + SaveState on the source (what opening the window requests); returns the SaveState result.</summary>
    internal static async Task<NodeOperationResult> SaveAsync(AgentCluster cluster)
    {
        await cluster.UpdateSpecAsync("source", spec => AgentOperationTests.Request(spec,
            AgentOperationTests.Operation("suspend", NodeOperationType.Suspend), AgentOperationTests.Operation("save-state", NodeOperationType.SaveState)));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("source", SaveId);
        return AgentCluster.Result(node, SaveId)!;
    }

    [Fact]
    public async Task ArmedRestore_Should_RestoreAndResumeWithoutASpecChange_When_TheSourceAgentReportsItsSaveState()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost source = await PreparedSourceAsync(cluster);
        var (destination, destinationAgent, armed) = await ArmedDestinationAsync(cluster, "source");

        // Armed: it waits on the source, without a result, and watches the source's NvmeNode. Its idle target is suspended
        // already, while the source runs, so the restore does not suspend it inside the device downtime.
        Assert.Null(AgentCluster.Result(armed, RestoreId));
        Assert.Contains("source", destinationAgent.StateSources.WatchedNodes);
        EmulatedSecondaryController target = destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!;
        Assert.True(target.Suspended, "the armed resume target is suspended before the state comes");
        Assert.Equal(0, source.EffectiveMigrationSends(MigrationFields.SendSelectSuspend));

        NodeOperationResult saved = await SaveAsync(cluster);
        V1Alpha1NvmeNode resumed = await cluster.WaitForStatusAsync("destination",
            n => AgentCluster.Result(n, ResumeId)?.State == OperationState.Succeeded, "the destination resumed");

        // Nobody wrote the destination's spec again: the agent acted on the source's report alone.
        Assert.Equal(armed.Metadata.Generation, resumed.Metadata.Generation);
        NodeOperationResult restored = AgentCluster.Result(resumed, RestoreId)!;
        Assert.Equal((OperationState.Succeeded, saved.StateSha256), (restored.State, restored.StateSha256));
        Assert.False(target.Suspended);
        // One Suspend on the destination, the one made ahead of the state.
        Assert.True(Assert.Single(destination.EffectiveMigrationSendRecords(MigrationFields.SendSelectSuspend)).Time
            < Assert.Single(source.EffectiveMigrationSendRecords(MigrationFields.SendSelectSuspend)).Time);
        Assert.Equal(saved.StateSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(target.RestoredState!)));
        Assert.Equal(1, destination.EffectiveMigrationSends(MigrationFields.SendSelectResume));

        // Every time has microsecond precision, and no result ends before it began.
        NodeOperationResult suspend = AgentCluster.Result(await cluster.GetNodeAsync("source"), Uid + "-suspend")!;
        foreach (NodeOperationResult result in new[] { suspend, saved, restored, AgentCluster.Result(resumed, ResumeId)! })
        {
            Assert.Equal(0, result.StartedAt!.Value.Ticks % MicroTime.TicksPerMicrosecond);
            Assert.True(result.FinishedAt >= result.StartedAt, $"{result.Id} finished before it started");
        }

        Assert.True(AgentCluster.Result(resumed, ResumeId)!.FinishedAt >= suspend.StartedAt);

        // The trace (one clock here): each agent saw an operation before starting it and reported it after finishing it,
        // and the destination saw the source's SaveState only after the source reported it.
        foreach (NodeOperationResult result in new[] { suspend, saved, restored, AgentCluster.Result(resumed, ResumeId)! })
        {
            Assert.True(result.SeenAt <= result.StartedAt, $"{result.Id} seen at {result.SeenAt:O}, started at {result.StartedAt:O}");
            Assert.True(result.ReportedAt >= result.FinishedAt, $"{result.Id} reported at {result.ReportedAt:O}, finished at {result.FinishedAt:O}");
        }

        Assert.True(restored.SeenAt >= saved.ReportedAt, $"the destination saw the state at {restored.SeenAt:O}, the source reported it at {saved.ReportedAt:O}");
        // Inside the device downtime each agent takes the VF from its lock in the host journal: no Identify CNS 15h
        // (secondary controller list) between the source's Suspend and its SaveState's last Migration Receive, nor between
        // the destination's first Set Controller State and its Resume (each agent's later syncs read the list again).
        AssertNoSecondaryListBetween(source,
            Assert.Single(source.Commands(NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectSuspend)),
            source.WriteLog.Records.Last(r => r.Kind == EmulatedOperationKind.NvmeCommand && r.Opcode == NvmeAdminOpcode.MigrationReceive));
        AssertNoSecondaryListBetween(destination,
            destination.Commands(NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectSetControllerState)[0],
            Assert.Single(destination.Commands(NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectResume)));
        // Done waiting: the source is no longer watched.
        await Eventually.MatchAsync(() => Task.FromResult(destinationAgent.StateSources.WatchedNodes.Count), n => n == 0, "the watch on the source stopped");
    }

    /// <summary>
    /// The state Secret is watched from the moment the source lists the awaited SaveState, so the restore inside the
    /// device downtime takes the bytes the watch delivered and reads nothing from the API server.
    /// </summary>
    [Fact]
    public async Task ArmedRestore_Should_TakeTheStateFromTheSecretsWatch_When_TheSourceListsTheSaveState()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost source = await PreparedSourceAsync(cluster);
        var (_, destinationAgent, _) = await ArmedDestinationAsync(cluster, "source");
        Assert.Empty(destinationAgent.StatePrefetch.WatchedSecrets); // armed long before the window: nothing watched yet
        // The source takes its time saving (as a large state would), so the watch is surely up before the bytes come.
        source.Faults.DelayCommand(NvmeAdminOpcode.MigrationReceive, TimeSpan.FromMilliseconds(300));
        DateTimeOffset windowOpened = DateTimeOffset.UtcNow;

        NodeOperationResult saved = await SaveAsync(cluster);
        V1Alpha1NvmeNode resumed = await cluster.WaitForStatusAsync("destination",
            n => AgentCluster.Result(n, ResumeId)?.State == OperationState.Succeeded, "the destination resumed");

        Assert.Equal(saved.StateSha256, AgentCluster.Result(resumed, RestoreId)!.StateSha256);
        await Eventually.MatchAsync(() => Task.FromResult(destinationAgent.StatePrefetch.WatchedSecrets.Count), n => n == 0, "the Secret's watch stopped");
        // The server audits a request as it ends: the watch's record comes once the agent's cancellation reaches it.
        var secretRequests = await Eventually.MatchAsync(
            () => Task.FromResult(cluster.Server.Audit.Snapshot()
                .Where(r => r.Time >= windowOpened && r.Resource == "secrets")
                .Select(r => (r.Verb, r.Name, r.Path))
                .ToList()),
            requests => requests.Any(r => r.Verb == "watch"), "the Secret's watch in the audit");
        // The watch is on the collection, by name in its field selector; the source's write names the Secret.
        Assert.Contains(secretRequests, r => r.Verb == "patch" && r.Name == AgentOperationTests.SecretName);
        Assert.DoesNotContain(secretRequests, r => r.Verb == "get");
    }

    [Fact]
    public async Task ArmedRestore_Should_FailWithoutWriting_When_TheStateDiffersFromWhatTheSourceReported()
    {
        await using var cluster = await AgentCluster.StartAsync();
        await cluster.CreateStateSecretAsync(AgentOperationTests.SecretName);
        await PreparedSourceAsync(cluster);
        NodeOperationResult saved = await SaveAsync(cluster);
        // The Secret's bytes are not what the source reported (tampered with, or torn): one byte flipped.
        var key = new NamespacedName(AgentCluster.StateNamespace, AgentOperationTests.SecretName);
        byte[] state = (await cluster.Secrets.GetAsync(key, CancellationToken.None)).Data[StateSecretStore.DataKey];
        state[100] ^= 0xFF;
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["data"] = new System.Text.Json.Nodes.JsonObject { [StateSecretStore.DataKey] = Convert.ToBase64String(state) },
        };
        await cluster.Secrets.PatchAsync(key, patch.ToJsonString(), CancellationToken.None);

        var (destination, _, _) = await ArmedDestinationAsync(cluster, "source");
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("destination", RestoreId);

        NodeOperationResult result = AgentCluster.Result(node, RestoreId)!;
        Assert.Equal((OperationState.Failed, "StateMismatch"), (result.State, result.Reason));
        Assert.Contains(saved.StateSha256!, result.Message, StringComparison.Ordinal);
        Assert.Null(AgentCluster.Result(node, ResumeId));
        Assert.Equal(0, destination.AttemptedMigrationSends(MigrationFields.SendSelectSetControllerState));
        Assert.Null(destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!.RestoredState);
    }

    [Fact]
    public async Task ArmedRestore_Should_NeverRestoreOrResume_When_TheVfWasLetGoBeforeTheStateCame()
    {
        await using var cluster = await AgentCluster.StartAsync();
        await PreparedSourceAsync(cluster);
        var (destination, _, _) = await ArmedDestinationAsync(cluster, "source");
        // The operator disarms: the VF goes back to the pool, the operations stay (their results tell what happened).
        V1Alpha1NvmeNode unheld = await cluster.UpdateSpecAsync("destination", spec =>
        {
            spec.PhysicalFunctions![0].Secondaries![1].Role = SecondaryRole.Pool;
            spec.PhysicalFunctions[0].Secondaries![1].OwnerUid = null;
        });
        await cluster.WaitForStatusAsync("destination", n => n.Status!.ObservedGeneration >= unheld.Metadata.Generation, "the agent saw the VF let go");
        // It had been suspended ahead of the state: handed back by reset, it comes back as a running pool VF.
        EmulatedSecondaryController target = destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!;
        await Eventually.TrueAsync(() => target is { Suspended: false, Online: true }, "the let-go target reset and back online");

        await SaveAsync(cluster);
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("destination", RestoreId);

        // The steps refuse a VF no longer locked to the migration: no Set Controller State, and Resume never runs.
        Assert.Equal(OperationState.Failed, AgentCluster.Result(node, RestoreId)!.State);
        Assert.Null(AgentCluster.Result(node, ResumeId));
        Assert.Equal(0, destination.AttemptedMigrationSends(MigrationFields.SendSelectSetControllerState));
        Assert.Equal(0, destination.AttemptedMigrationSends(MigrationFields.SendSelectResume));
        Assert.Null(destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!.RestoredState);
    }

    private static void AssertNoSecondaryListBetween(EmulatedHost host, EmulatedWriteRecord first, EmulatedWriteRecord last)
    {
        Assert.True(first.Sequence < last.Sequence, $"{first} is not before {last}");
        Assert.DoesNotContain(host.Commands(NvmeAdminOpcode.Identify, IdentifyCns.SecondaryControllerList),
            r => r.Sequence > first.Sequence && r.Sequence < last.Sequence);
    }
}

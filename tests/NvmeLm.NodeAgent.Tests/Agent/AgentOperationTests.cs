using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Kube;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>
/// The operations of seed step 6 across two agents on two emulated hosts, with the controller state moving through
/// the migration's Secret: source suspend + save, destination restore (digest checked first) + resume.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class AgentOperationTests
{
    internal const string Uid = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10";
    internal const string SecretName = "nvmelm-state-" + Uid;

    internal static NodeOperation Operation(string step, NodeOperationType type, string? sha256 = null) => new()
    {
        Id = Uid + "-" + step,
        Type = type,
        VfAddress = AgentHosts.Vf2,
        OwnerUid = Uid,
        SecretName = type is NodeOperationType.SaveState or NodeOperationType.RestoreState ? SecretName : null,
        SecretNamespace = type is NodeOperationType.SaveState or NodeOperationType.RestoreState ? AgentCluster.StateNamespace : null,
        ExpectedSha256 = sha256,
    };

    internal static void Request(V1Alpha1NvmeNode.EntitySpec spec, params NodeOperation[] operations)
    {
        spec.Operations ??= [];
        foreach (NodeOperation operation in operations)
        {
            spec.Operations.Add(operation);
        }
    }

    /// <summary>Starts source and destination agents with VF 2 held by the migration on each, and saves the source state.</summary>
    private static async Task<(EmulatedHost Source, EmulatedHost Destination, NodeOperationResult Saved)> PrepareAndSaveAsync(AgentCluster cluster)
    {
        EmulatedHost source = AgentHosts.Create("SRC");
        EmulatedHost destination = AgentHosts.Create("DST");
        await cluster.StartAgentAsync("source", source);
        await cluster.StartAgentAsync("destination", destination);
        await cluster.CreateStateSecretAsync(SecretName);
        await cluster.UpdateSpecAsync("destination", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.ResumeTarget, Uid));
        await cluster.UpdateSpecAsync("source", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, Uid));
        await cluster.WaitForStatusAsync("destination", AgentCluster.IsReady, "destination prepared");
        await cluster.WaitForStatusAsync("source", AgentCluster.IsReady, "source prepared");

        await cluster.UpdateSpecAsync("source", spec => Request(spec,
            Operation("suspend", NodeOperationType.Suspend), Operation("save-state", NodeOperationType.SaveState)));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("source", Uid + "-save-state");
        Assert.Equal(OperationState.Succeeded, AgentCluster.Result(node, Uid + "-suspend")!.State);
        return (source, destination, AgentCluster.Result(node, Uid + "-save-state")!);
    }

    [Fact]
    public async Task Operations_Should_MoveStateThroughSecretAndRunOnce_When_RequestedOnTwoAgents()
    {
        await using var cluster = await AgentCluster.StartAsync();
        var (source, destination, saved) = await PrepareAndSaveAsync(cluster);

        Assert.Equal(OperationState.Succeeded, saved.State);
        Assert.Equal(4096, saved.StateSizeBytes);
        V1Secret secret = await cluster.Secrets.GetAsync(new NamespacedName(AgentCluster.StateNamespace, SecretName), CancellationToken.None);
        byte[] state = secret.Data[StateSecretStore.DataKey];
        Assert.Equal(saved.StateSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(state)));
        Assert.Equal(saved.StateSha256, secret.Metadata.Annotations[StateSecretStore.Sha256Annotation]);
        Assert.True(source.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!.Suspended);

        await cluster.UpdateSpecAsync("destination", spec => Request(spec,
            Operation("restore-state", NodeOperationType.RestoreState, saved.StateSha256), Operation("resume", NodeOperationType.Resume)));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("destination", Uid + "-resume");

        NodeOperationResult restored = AgentCluster.Result(node, Uid + "-restore-state")!;
        Assert.Equal((OperationState.Succeeded, saved.StateSha256, 4096L), (restored.State, restored.StateSha256, restored.StateSizeBytes!.Value));
        Assert.Equal(OperationState.Succeeded, AgentCluster.Result(node, Uid + "-resume")!.State);
        EmulatedSecondaryController target = destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!;
        Assert.Equal(state, target.RestoredState);
        Assert.False(target.Suspended);

        // Two full syncs of each agent later every operation still ran exactly once with effect.
        await cluster.WaitForFullSyncsAsync("source");
        await cluster.WaitForFullSyncsAsync("destination");
        Assert.Equal(1, source.EffectiveMigrationSends(MigrationFields.SendSelectSuspend));
        Assert.Equal(1, source.AttemptedMigrationSends(MigrationFields.SendSelectSuspend));
        Assert.Equal(1, destination.EffectiveMigrationSends(MigrationFields.SendSelectSetControllerState));
        Assert.Equal(1, destination.EffectiveMigrationSends(MigrationFields.SendSelectResume));
        Assert.Equal(0, source.AttemptedMigrationSends(MigrationFields.SendSelectResume));
    }

    [Fact]
    public async Task RestoreState_Should_FailWithoutWriting_When_SecretIsCorrupted()
    {
        await using var cluster = await AgentCluster.StartAsync();
        var (_, destination, saved) = await PrepareAndSaveAsync(cluster);
        var key = new NamespacedName(AgentCluster.StateNamespace, SecretName);
        V1Secret secret = await cluster.Secrets.GetAsync(key, CancellationToken.None);
        byte[] corrupted = secret.Data[StateSecretStore.DataKey];
        corrupted[100] ^= 0xFF;
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["data"] = new System.Text.Json.Nodes.JsonObject { [StateSecretStore.DataKey] = Convert.ToBase64String(corrupted) },
        };
        await cluster.Secrets.PatchAsync(key, patch.ToJsonString(), CancellationToken.None);
        int before = destination.WriteLog.Mutations.Count;

        await cluster.UpdateSpecAsync("destination", spec => Request(spec, Operation("restore-state", NodeOperationType.RestoreState, saved.StateSha256)));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("destination", Uid + "-restore-state");

        NodeOperationResult result = AgentCluster.Result(node, Uid + "-restore-state")!;
        Assert.Equal(OperationState.Failed, result.State);
        Assert.Equal("StateMismatch", result.Reason);
        Assert.Contains(saved.StateSha256!, result.Message, StringComparison.Ordinal);
        Assert.Equal(before, destination.WriteLog.Mutations.Count);
        Assert.Null(destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!.RestoredState);
    }

    [Fact]
    public async Task OperationWithAfter_Should_NeverRun_When_TheOperationItFollowsFails()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        await cluster.CreateStateSecretAsync(SecretName);
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, Uid));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");
        host.Faults.FailCommand(NvmeAdminOpcode.MigrationSend, 0x4006, MigrationFields.SendSelectSuspend);

        // Listed first, but it follows the suspend: list order alone must not run it.
        NodeOperation save = Operation("save-state", NodeOperationType.SaveState);
        save.After = Uid + "-suspend";
        await cluster.UpdateSpecAsync("worker-1", spec => Request(spec, save, Operation("suspend", NodeOperationType.Suspend)));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", Uid + "-suspend");
        await cluster.WaitForFullSyncsAsync("worker-1");
        node = await cluster.Nodes.GetAsync(NamespacedName.Cluster("worker-1"), CancellationToken.None);

        Assert.Equal(OperationState.Failed, AgentCluster.Result(node, Uid + "-suspend")!.State);
        Assert.Null(AgentCluster.Result(node, Uid + "-save-state"));
        // The only Migration Receive is Suspend's header probe; SaveState's reads never happened.
        Assert.True(host.WriteLog.Records.Count(r => r.Kind == EmulatedOperationKind.NvmeCommand && r.Opcode == NvmeAdminOpcode.MigrationReceive) <= 1);
    }

    [Fact]
    public async Task OperationWithAfter_Should_RunInTheSameSync_When_TheOperationItFollowsSucceeds()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMinutes(5));
        await cluster.CreateStateSecretAsync(SecretName);
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, Uid));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");
        cluster.Server.Audit.Clear();

        NodeOperation save = Operation("save-state", NodeOperationType.SaveState);
        save.After = Uid + "-suspend";
        await cluster.UpdateSpecAsync("worker-1", spec => Request(spec, Operation("suspend", NodeOperationType.Suspend), save));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", Uid + "-save-state");

        Assert.Equal(OperationState.Succeeded, AgentCluster.Result(node, Uid + "-suspend")!.State);
        Assert.Equal(OperationState.Succeeded, AgentCluster.Result(node, Uid + "-save-state")!.State);
        // One sync answered both: a single status write.
        Assert.Single(cluster.Server.Audit.Where(r => r.Resource == "nvmenodes" && r.Subresource == "status" && r.IsWrite));
    }

    [Fact]
    public async Task Operation_Should_FailAsNotOwner_When_VfIsHeldByAnotherMigration()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        await cluster.UpdateSpecAsync("worker-1", spec => AgentSpecTests.TwoVfs(spec, SecondaryRole.MigrationSource, Uid));
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");
        int before = host.WriteLog.Mutations.Count;

        NodeOperation foreign = Operation("suspend", NodeOperationType.Suspend);
        foreign.Id = "other-suspend";
        foreign.OwnerUid = "11111111-2222-3333-4444-555555555555";
        await cluster.UpdateSpecAsync("worker-1", spec => Request(spec, foreign));
        V1Alpha1NvmeNode node = await cluster.WaitForResultAsync("worker-1", "other-suspend");

        NodeOperationResult result = AgentCluster.Result(node, "other-suspend")!;
        Assert.Equal((OperationState.Failed, "OwnedByOther"), (result.State, result.Reason));
        Assert.Equal(before, host.WriteLog.Mutations.Count);
    }

    [Fact]
    public async Task Release_Should_ResetSuspendedSourceAndReturnItToPool_When_SpecRoleGoesBackToPool()
    {
        await using var cluster = await AgentCluster.StartAsync();
        var (source, _, _) = await PrepareAndSaveAsync(cluster);

        // The operator releases the source after a successful migration: role back to Pool, operations dropped.
        await cluster.UpdateSpecAsync("source", spec =>
        {
            AgentSpecTests.TwoVfs(spec);
            spec.Operations = null;
        });
        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("source", AgentCluster.IsReady, "the source released");

        SecondaryControllerStatus vf2 = node.Status!.PhysicalFunctions!.Single(p => p.Address == AgentHosts.MigratablePf.ToString()).Secondaries!.Single(s => s.VfNumber == 2);
        Assert.Equal((SecondaryRole.Pool, (string?)null, false), (vf2.Role!.Value, vf2.OwnerUid, vf2.Suspended));
        EmulatedSecondaryController secondary = source.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!;
        Assert.True(secondary.Online && !secondary.Suspended);
        Assert.Equal("vfio-pci", source.FindFunction(Hardware.PciAddress.Parse(AgentHosts.Vf2))!.Driver);
        Assert.Null(node.Status.OperationResults);
    }

    [Fact]
    public async Task Release_Should_ResetRestoredDestination_When_MigrationRollsBackAfterRestoreState()
    {
        await using var cluster = await AgentCluster.StartAsync();
        var (source, destination, saved) = await PrepareAndSaveAsync(cluster);
        await cluster.UpdateSpecAsync("destination", spec => Request(spec, Operation("restore-state", NodeOperationType.RestoreState, saved.StateSha256)));
        await cluster.WaitForResultAsync("destination", Uid + "-restore-state");
        Assert.True(destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!.Suspended);

        // Rollback as the operator does it: release the destination, resume the source, release the source.
        await cluster.UpdateSpecAsync("destination", spec =>
        {
            AgentSpecTests.TwoVfs(spec);
            spec.Operations = null;
        });
        await cluster.UpdateSpecAsync("source", spec => Request(spec, Operation("rollback-resume", NodeOperationType.Resume)));
        await cluster.WaitForResultAsync("source", Uid + "-rollback-resume");
        await cluster.UpdateSpecAsync("source", spec =>
        {
            AgentSpecTests.TwoVfs(spec);
            spec.Operations = null;
        });
        V1Alpha1NvmeNode destinationNode = await cluster.WaitForStatusAsync("destination", AgentCluster.IsReady, "the destination released");
        V1Alpha1NvmeNode sourceNode = await cluster.WaitForStatusAsync("source", AgentCluster.IsReady, "the source released");

        // The destination held a foreign, suspended state: reset and re-provisioned as a clean pool VF.
        EmulatedSecondaryController target = destination.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!;
        Assert.True(target.Online && !target.Suspended && target.Nvq == 2 && target.Nvi == 1);
        Assert.Equal(["vfio-pci", "vfio-pci"], AgentHosts.VfDrivers(destination, 2));
        SecondaryControllerStatus reported = destinationNode.Status!.PhysicalFunctions!.Single(p => p.Address == AgentHosts.MigratablePf.ToString()).Secondaries!.Single(s => s.VfNumber == 2);
        Assert.Equal((SecondaryRole.Pool, (string?)null, false, true), (reported.Role!.Value, reported.OwnerUid, reported.Suspended, reported.Migratable));
        // The source was resumed and only unlocked: it keeps running for its VM, never reset.
        EmulatedSecondaryController original = source.PhysicalFunction(AgentHosts.MigratablePf).FindSecondary(2)!;
        Assert.True(original.Online && !original.Suspended);
        Assert.Equal(1, source.EffectiveMigrationSends(MigrationFields.SendSelectResume));
        Assert.DoesNotContain(source.WriteLog.Changes, r => r.Opcode == NvmeAdminOpcode.VirtualizationManagement && r.Sequence > SuspendSequence(source));
        Assert.Equal(SecondaryRole.Pool, sourceNode.Status!.PhysicalFunctions!.Single(p => p.Address == AgentHosts.MigratablePf.ToString()).Secondaries!.Single(s => s.VfNumber == 2).Role);
    }

    /// <summary>The write-log sequence number of the source's suspend: nothing may reconfigure the VF after it.</summary>
    private static long SuspendSequence(EmulatedHost host) =>
        Assert.Single(host.EffectiveMigrationSendRecords(MigrationFields.SendSelectSuspend)).Sequence;
}

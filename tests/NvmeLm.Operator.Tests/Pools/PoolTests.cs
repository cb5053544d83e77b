using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Operator.Pools;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Pools;

[Collection(IntegrationCollection.Name)]
public sealed class PoolTests
{
    [Fact]
    public async Task Pool_Should_RenderNodeSpecsAndReportCounts_When_ItSelectsEveryNode()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();

        await cluster.ProvisionAsync(numVfs: 3);
        var pool = await Eventually.ValueAsync(() => cluster.Pools.TryGetAsync(NamespacedName.Cluster("fast-local-nvme"), CancellationToken.None),
            p => p.Status?.ReadyNodes == 2, "pool reports 2 ready nodes");

        Assert.Equal((2, 2, 2), (pool.Status!.SelectedNodes, pool.Status.ReadyNodes, pool.Status.SelectedControllers));
        Assert.Equal([OperatorTestCluster.NodeA, OperatorTestCluster.NodeB], pool.Status.Nodes);
        Assert.Equal("True", pool.Status.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.Equal("False", pool.Status.Conditions!.Single(c => c.Type == PoolStatusReconciler.ConflictCondition).Status);
        var spec = (await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeA)).Spec.PhysicalFunctions!.Single();
        Assert.Equal((OperatorTestCluster.PfA, 3, "fast-local-nvme", "nvmelm.io/migratable-vf"), (spec.Address, spec.NumVfs, spec.Pool, spec.ResourceName));
        Assert.Equal([1, 2, 3], spec.Secondaries!.Select(s => s.VfNumber));
        Assert.All(spec.Secondaries!, s => Assert.Equal(("vfio-pci", 4, 4, SecondaryRole.Pool), (s.Driver, s.Queues, s.Interrupts, s.Role)));
    }

    [Fact]
    public async Task Pool_Should_NotCountANodeReady_When_ItsAgentHasNotReportedInventory()
    {
        // A selected node owns PFs only once its agent has reported them: before that "every owned PF provisioned" is
        // vacuously true, and a pool counted such a node ready (a test that waited for ReadyNodes then found no VF).
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync(numVfs: 2);

        // node-a and node-b stay provisioned: any status that selects the third node counts it ready or not.
        await cluster.CreateNodeAsync("silent");
        await cluster.NvmeNodes.CreateAsync(new V1Alpha1NvmeNode { Metadata = new V1ObjectMeta { Name = "silent" } }, CancellationToken.None);
        var pool = await Eventually.ValueAsync(() => cluster.Pools.TryGetAsync(NamespacedName.Cluster("fast-local-nvme"), CancellationToken.None),
            p => p.Status?.SelectedNodes == 3, "the pool selects the silent node");

        Assert.Equal(2, pool.Status!.ReadyNodes);
        Assert.Equal("False", pool.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.Null((await cluster.GetNvmeNodeAsync("silent")).Status?.HeartbeatTime);
    }

    [Fact]
    public async Task Pool_Should_SelectOnlyLabelledNodes_When_NodeSelectorIsSet()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.Admin.CoreV1.PatchNodeAsync(new V1Patch("""{"metadata":{"labels":{"zone":"a"}}}""", V1Patch.PatchType.MergePatch), OperatorTestCluster.NodeA);

        await cluster.CreatePoolAsync("zone-a", nodeSelector: new() { ["zone"] = "a" });
        var pool = await Eventually.ValueAsync(() => cluster.Pools.TryGetAsync(NamespacedName.Cluster("zone-a"), CancellationToken.None),
            p => p.Status?.ReadyNodes == 1, "zone-a provisioned on node-a");

        Assert.Equal([OperatorTestCluster.NodeA], pool.Status!.Nodes);
        Assert.Empty((await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeB)).Spec.PhysicalFunctions ?? []);
    }

    [Fact]
    public async Task Pools_Should_ReportConflictOnTheYoungerPoolWithoutFlapping_When_TwoPoolsSelectOnePf()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var host = await cluster.StartOperatorAsync();
        var older = await cluster.CreatePoolAsync("older", numVfs: 2);
        await Eventually.TrueAsync(async () => (await cluster.TryGetNvmeNodeAsync(OperatorTestCluster.NodeA))?.Spec.PhysicalFunctions?.Count == 1, "older rendered");
        // creationTimestamp has second precision: the next second makes "older" strictly older. The younger pool's name
        // sorts first, so only age (not the name tie-break) can make "older" win.
        await Eventually.TrueAsync(() => DateTime.UtcNow >= older.Metadata.CreationTimestamp!.Value.AddSeconds(1), "the next second of the API server's clock");

        await cluster.CreatePoolAsync("a-younger", numVfs: 5, selector: new ControllerSelector { PfAddresses = [OperatorTestCluster.PfA] });
        var younger = await Eventually.ValueAsync(() => cluster.Pools.TryGetAsync(NamespacedName.Cluster("a-younger"), CancellationToken.None),
            p => p.Status?.Conditions?.Any(c => c.Type == PoolStatusReconciler.ConflictCondition && c.Status == "True") == true, "younger reports Conflict");

        var conflict = younger.Status!.Conditions!.Single(c => c.Type == PoolStatusReconciler.ConflictCondition);
        Assert.Equal("PfClaimedByOlderPool", conflict.Reason);
        Assert.Contains($"PF {OperatorTestCluster.PfA} on {OperatorTestCluster.NodeA} is owned by older pool older", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(0, younger.Status.SelectedControllers);
        var generationBefore = (await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeA)).Metadata.Generation;
        var writesBefore = cluster.WritesBy("operator", "nvmenodes").Count;
        await cluster.WaitForNvmeNodeReconcileAsync(host, OperatorTestCluster.NodeA);
        var node = await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeA);
        Assert.Equal(("older", 2), (node.Spec.PhysicalFunctions!.Single().Pool, node.Spec.PhysicalFunctions!.Single().NumVfs));
        Assert.Equal(generationBefore, node.Metadata.Generation);
        Assert.Equal(writesBefore, cluster.WritesBy("operator", "nvmenodes").Count);
    }

    [Fact]
    public async Task Pool_Should_KeepVfsHeldByAMigration_When_ItsNumVfsChanges()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var host = await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        cluster.AgentA.Hang(NodeOperationType.SaveState);
        await cluster.CreateMigrationAsync("busy", "0000:01:00.1");
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentA.WasRequested(NodeOperationType.SaveState)), "SaveState requested");

        var patched = await cluster.Pools.PatchAsync(NamespacedName.Cluster("fast-local-nvme"), """{"spec":{"numVfs":2}}""", CancellationToken.None);
        await Eventually.TrueAsync(() => host.PoolInformer.Cache.Get(NamespacedName.Cluster("fast-local-nvme"))?.Metadata.Generation == patched.Metadata.Generation,
            "the new numVfs in the operator's cache");
        await cluster.WaitForNvmeNodeReconcileAsync(host, OperatorTestCluster.NodeA);
        var held = (await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeA)).Spec.PhysicalFunctions!.Single();
        Assert.Equal(4, held.NumVfs);
        Assert.Equal(SecondaryRole.MigrationSource, held.Secondaries!.Single(s => s.VfNumber == 1).Role);
        Assert.NotEmpty((await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeA)).Spec.Operations!);

        cluster.AgentA.Unhang();
        await cluster.WaitForPhaseAsync("busy", MigrationPhase.Succeeded);
        await Eventually.TrueAsync(async () => (await cluster.TryGetNvmeNodeAsync(OperatorTestCluster.NodeA))?.Spec.PhysicalFunctions?.SingleOrDefault()?.NumVfs == 2,
            "numVfs change applied once the VF was released");
    }

    [Fact]
    public async Task StaleNvmeNode_Should_BeDeleted_When_HeartbeatIsOldAndNodeIsGone_AndKept_When_NodeExists()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var old = DateTime.UtcNow.AddHours(-1);
        foreach (var name in new[] { "node-gone", "node-kept" })
        {
            var created = await cluster.NvmeNodes.CreateAsync(new V1Alpha1NvmeNode { Metadata = new V1ObjectMeta { Name = name } }, CancellationToken.None);
            created.Status = new V1Alpha1NvmeNode.EntityStatus { HeartbeatTime = old };
            await cluster.NvmeNodes.ReplaceStatusAsync(created, CancellationToken.None);
        }

        await cluster.CreateNodeAsync("node-kept");
        await cluster.StartOperatorAsync(staleAfter: TimeSpan.FromSeconds(2));

        await Eventually.TrueAsync(async () => await cluster.NvmeNodes.TryGetAsync(NamespacedName.Cluster("node-gone"), CancellationToken.None) is null,
            "stale NvmeNode deleted");
        Assert.NotNull(await cluster.NvmeNodes.TryGetAsync(NamespacedName.Cluster("node-kept"), CancellationToken.None));
        Assert.NotNull(await cluster.NvmeNodes.TryGetAsync(NamespacedName.Cluster(OperatorTestCluster.NodeA), CancellationToken.None));
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Operator.Hosting;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Nodes;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Infrastructure;

/// <summary>
/// An embedded API server with the project's CRDs, two Node objects with fake agents (node-a: PF
/// 0000:01:00.0, node-b: PF 0000:02:00.0), and any number of in-process operator instances.
/// </summary>
public sealed class OperatorTestCluster : IAsyncDisposable
{
    public const string NodeA = "node-a";
    public const string NodeB = "node-b";
    public const string PfA = "0000:01:00.0";
    public const string PfB = "0000:02:00.0";
    public const string Namespace = "default";

    /// <summary>The annotation <see cref="WaitForNvmeNodeReconcileAsync"/> edits to make an event.</summary>
    private const string NudgeAnnotation = "test.nvmelm.io/nudge";

    private readonly List<OperatorHost> _operators = new();
    private readonly List<FakeNodeAgent> _agents = new();

    private OperatorTestCluster(EmbeddedApiServer server)
    {
        Server = server;
        Admin = server.CreateClient("admin");
        Migrations = new ResourceClient<V1Alpha1NvmeMigration>(Admin);
        NvmeNodes = new ResourceClient<V1Alpha1NvmeNode>(Admin);
        Pools = new ResourceClient<V1Alpha1NvmeVfPool>(Admin);
        Secrets = new ResourceClient<V1Secret>(Admin);
    }

    public EmbeddedApiServer Server { get; }

    public Kubernetes Admin { get; }

    public ResourceClient<V1Alpha1NvmeMigration> Migrations { get; }

    public ResourceClient<V1Alpha1NvmeNode> NvmeNodes { get; }

    public ResourceClient<V1Alpha1NvmeVfPool> Pools { get; }

    public ResourceClient<V1Secret> Secrets { get; }

    public FakeNodeAgent AgentA => _agents.Single(a => a.NodeName == NodeA);

    public FakeNodeAgent AgentB => _agents.Single(a => a.NodeName == NodeB);

    public IReadOnlyList<FakeNodeAgent> Agents => _agents;

    /// <summary>Server + CRDs + nvme-lm-system namespace + Node objects; agents as given (default: node-a and node-b, capable).</summary>
    public static async Task<OperatorTestCluster> StartAsync(FakePf[]? pfsA = null, FakePf[]? pfsB = null)
    {
        var server = await EmbeddedApiServer.StartAsync();
        var cluster = new OperatorTestCluster(server);
        try
        {
            await cluster.InstallCrdsAsync();
            await cluster.Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "nvme-lm-system" } });
            await cluster.CreateNodeAsync(NodeA);
            await cluster.CreateNodeAsync(NodeB);
            cluster.AddAgent(NodeA, pfsA ?? [new FakePf(PfA)]);
            cluster.AddAgent(NodeB, pfsB ?? [new FakePf(PfB, Serial: "cafef00d")]);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public FakeNodeAgent AddAgent(string node, FakePf[] pfs)
    {
        var agent = new FakeNodeAgent(Server, node, pfs);
        _agents.Add(agent);
        agent.Start();
        return agent;
    }

    public Task<V1Node> CreateNodeAsync(string name, IDictionary<string, string>? labels = null) =>
        Admin.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["nvmelm.io/agent"] = "true" } },
        });

    /// <summary>Starts an operator instance; leader election is off unless asked for (then with short, test-sized lease times).</summary>
    public async Task<OperatorHost> StartOperatorAsync(
        string identity = "operator", bool leaderElection = false, bool releaseLeaseOnStop = true, TimeSpan? staleAfter = null, KubeMetrics? metrics = null,
        int maxCriticalSectionsPerNode = 2, string? stateNamespace = null, TimeSpan? vmiAllocationGrace = null)
    {
        var host = await OperatorHost.StartAsync(new OperatorHostOptions
        {
            Kubernetes = Server.CreateClient(identity),
            Identity = identity,
            LeaderElection = leaderElection,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
            ReleaseLeaseOnStop = releaseLeaseOnStop,
            HttpPort = null,
            Metrics = metrics ?? new KubeMetrics(Prometheus.Metrics.NewCustomRegistry()),
            Migrations = new MigrationOptions { PollInterval = TimeSpan.FromMilliseconds(500), MaxCriticalSectionsPerNode = maxCriticalSectionsPerNode, StateNamespace = stateNamespace,
                // Long enough for the caches to catch up under CI load, short enough for the VmiHasNoPoolVf refusal test.
                VmiAllocationGrace = vmiAllocationGrace ?? TimeSpan.FromSeconds(3),
            },
            Nodes = new NodeLifecycleOptions { StaleAfter = staleAfter ?? TimeSpan.FromMinutes(10) },
        });
        _operators.Add(host);
        return host;
    }

    /// <summary>Stops an operator instance (as if its process ended).</summary>
    public async Task StopOperatorAsync(OperatorHost host)
    {
        _operators.Remove(host);
        await host.DisposeAsync();
    }

    public Task<V1Alpha1NvmeVfPool> CreatePoolAsync(string name, int numVfs = 4, ControllerSelector? selector = null, Dictionary<string, string>? nodeSelector = null) =>
        Pools.CreateAsync(new V1Alpha1NvmeVfPool
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1Alpha1NvmeVfPool.EntitySpec { NumVfs = numVfs, Queues = 4, Interrupts = 4, ControllerSelector = selector, NodeSelector = nodeSelector },
        }, CancellationToken.None);

    /// <summary>Creates the default pool and waits until both agents report its VFs enabled, bound and online.</summary>
    public async Task ProvisionAsync(int numVfs = 4)
    {
        await CreatePoolAsync("fast-local-nvme", numVfs);
        foreach (var node in new[] { NodeA, NodeB })
        {
            await WaitForProvisionedAsync(node, numVfs);
        }

        // And the pool says so: its status catches up after the agents, and a test that counts writes starts after it.
        await Eventually.ValueAsync(() => Pools.TryGetAsync(NamespacedName.Cluster("fast-local-nvme"), CancellationToken.None),
            p => p.Status is { ReadyNodes: 2 } status && NvmeLm.Kube.Resources.Conditions.IsTrue(status.Conditions, "Ready"), "pool ready on both nodes");
    }

    /// <summary>Waits until <paramref name="node"/>'s agent reports <paramref name="numVfs"/> VFs enabled, bound and online.</summary>
    public Task<V1Alpha1NvmeNode> WaitForProvisionedAsync(string node, int numVfs) =>
        Eventually.ValueAsync(() => NvmeNodes.TryGetAsync(NamespacedName.Cluster(node), CancellationToken.None),
            n => n.Status?.ObservedGeneration == n.Metadata.Generation && n.Status!.VfCount == numVfs
                && n.Status.PhysicalFunctions!.SelectMany(p => p.Secondaries ?? []).All(s => s.Online && s.Driver == "vfio-pci"),
            $"{node} provisioned with {numVfs} VFs");

    public Task<V1Alpha1NvmeMigration> CreateMigrationAsync(
        string name, string sourceVf, string destinationNode = NodeB, string sourceNode = NodeA, MigrationMode mode = MigrationMode.Apply,
        int timeoutSeconds = 300, string? destinationVf = null, string? destinationPf = null, bool allowSameNode = false) =>
        Migrations.CreateAsync(new V1Alpha1NvmeMigration
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new V1Alpha1NvmeMigration.EntitySpec
            {
                Source = new MigrationSource { Node = sourceNode, VfAddress = sourceVf },
                Destination = new MigrationDestination { Node = destinationNode, VfAddress = destinationVf, PfAddress = destinationPf },
                Mode = mode,
                TimeoutSeconds = timeoutSeconds,
                AllowSameNode = allowSameNode,
            },
        }, CancellationToken.None);

    public Task<V1Alpha1NvmeMigration?> GetMigrationAsync(string name) =>
        Migrations.TryGetAsync(new NamespacedName(Namespace, name), CancellationToken.None);

    public Task<V1Alpha1NvmeMigration> WaitForPhaseAsync(string name, MigrationPhase phase, int timeoutMs = 30_000) =>
        Eventually.ValueAsync(() => GetMigrationAsync(name), m => m.Status?.Phase == phase, $"{name} in phase {phase}", TimeSpan.FromMilliseconds(timeoutMs));

    /// <summary>The stored NvmeNode; null until the node's (fake) agent has created it.</summary>
    public Task<V1Alpha1NvmeNode?> TryGetNvmeNodeAsync(string node) => NvmeNodes.TryGetAsync(NamespacedName.Cluster(node), CancellationToken.None);

    /// <summary>The stored NvmeNode, which the test knows exists.</summary>
    public async Task<V1Alpha1NvmeNode> GetNvmeNodeAsync(string node) =>
        await TryGetNvmeNodeAsync(node) ?? throw new InvalidOperationException($"NvmeNode {node} does not exist");

    /// <summary>
    /// Shows that <paramref name="host"/>'s NvmeNode controller has looked at <paramref name="node"/> after this call, so a
    /// test can assert what it did not write without sleeping: edits an annotation of the NvmeNode (an event), waits until
    /// the edit is in the operator's cache and a reconcile of the key has finished, twice. Reconciles of one key never
    /// overlap, so the second one began after the first edit was cached, with everything written before this call.
    /// </summary>
    public async Task WaitForNvmeNodeReconcileAsync(OperatorHost host, string node)
    {
        var key = NamespacedName.Cluster(node);
        int finished = 0;
        void Count(NamespacedName reconciled, ReconcileResult _)
        {
            if (reconciled == key)
            {
                Interlocked.Increment(ref finished);
            }
        }

        host.NvmeNodeController.Reconciled += Count;
        try
        {
            foreach (string nudge in new[] { Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N") })
            {
                var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [NudgeAnnotation] = nudge } } };
                await NvmeNodes.PatchAsync(key, patch.ToJsonString(), CancellationToken.None);
                await Eventually.TrueAsync(() => host.NvmeNodeInformer.Cache.Get(key)?.Metadata.Annotations is { } seen
                    && seen.TryGetValue(NudgeAnnotation, out var value) && value == nudge,
                    $"the nudge of {node} in the operator's cache");
                int before = Volatile.Read(ref finished);
                await Eventually.TrueAsync(() => Volatile.Read(ref finished) > before, $"a reconcile of {node} after the nudge");
            }
        }
        finally
        {
            host.NvmeNodeController.Reconciled -= Count;
        }
    }

    /// <summary>Writes by <paramref name="identity"/> recorded so far (optionally only of one resource).</summary>
    public IReadOnlyList<NvmeLm.ApiServer.Audit.AuditRecord> WritesBy(string identity, string? resource = null) =>
        Server.Audit.Where(r => r.IsWrite && r.Identity == identity && (resource is null || r.Resource == resource));

    private async Task InstallCrdsAsync()
    {
        foreach (var file in RepositoryFiles.CrdFiles())
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await Admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }

        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await Migrations.ListAsync(Namespace, null, CancellationToken.None);
                await NvmeNodes.ListAsync(null, null, CancellationToken.None);
                await Pools.ListAsync(null, null, CancellationToken.None);
                return true;
            }
            catch (KubeApiException)
            {
                return false;
            }
        }, "CRDs served");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _operators.ToList())
        {
            await host.DisposeAsync();
        }

        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        Admin.Dispose();
        await Server.DisposeAsync();
    }
}

using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Resources;
using NvmeLm.NodeAgent.Agent;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>
/// An embedded API server with the project's real CRDs (crds/*.yaml) and helpers to run node agents against it on
/// emulated hosts, each with its own temporary journal directory.
/// </summary>
internal sealed class AgentCluster : IAsyncDisposable
{
    public const string StateNamespace = "default";

    private readonly List<NodeAgentHost> _agents = [];
    private readonly List<string> _directories = [];

    private AgentCluster(EmbeddedApiServer server, Kubernetes client)
    {
        Server = server;
        Client = client;
        Nodes = new ResourceClient<V1Alpha1NvmeNode>(client);
        Secrets = new ResourceClient<V1Secret>(client);
        Events = new ResourceClient<Corev1Event>(client);
    }

    public EmbeddedApiServer Server { get; }

    public Kubernetes Client { get; }

    public ResourceClient<V1Alpha1NvmeNode> Nodes { get; }

    public ResourceClient<V1Secret> Secrets { get; }

    public ResourceClient<Corev1Event> Events { get; }

    /// <summary>Metrics registry of these tests' agents (the process default is shared by other test classes).</summary>
    public KubeMetrics Metrics { get; } = new(Prometheus.Metrics.NewCustomRegistry());

    public static async Task<AgentCluster> StartAsync()
    {
        EmbeddedApiServer server = await EmbeddedApiServer.StartAsync();
        Kubernetes client = server.CreateClient();
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "crds"), "nvmelm.io_*.yaml").Order())
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }

        return new AgentCluster(server, client);
    }

    public string NewJournalDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "nvmelm-agent-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        return directory;
    }

    public NodeAgentOptions Options(string node, EmulatedHost host, string journalDirectory, TimeSpan? resync = null, TimeSpan? heartbeat = null) => new()
    {
        NodeName = node,
        Kubernetes = Client,
        Hardware = host.CreateHardware(),
        JournalDirectory = journalDirectory,
        ResyncPeriod = resync ?? TimeSpan.FromMilliseconds(500),
        HeartbeatPeriod = heartbeat ?? TimeSpan.FromHours(1),
        WatchTimeout = TimeSpan.FromSeconds(30),
        StallTimeout = TimeSpan.FromSeconds(10),
        Metrics = Metrics,
    };

    public async Task<NodeAgentHost> StartAgentAsync(NodeAgentOptions options)
    {
        NodeAgentHost agent = await NodeAgentHost.StartAsync(options);
        _agents.Add(agent);
        return agent;
    }

    public Task<NodeAgentHost> StartAgentAsync(string node, EmulatedHost host, string? journalDirectory = null, TimeSpan? resync = null, TimeSpan? heartbeat = null) =>
        StartAgentAsync(Options(node, host, journalDirectory ?? NewJournalDirectory(), resync, heartbeat));

    public Task<V1Alpha1NvmeNode> GetNodeAsync(string node) => Nodes.GetAsync(NamespacedName.Cluster(node), CancellationToken.None);

    /// <summary>
    /// Waits until the agent of <paramref name="node"/> (the last one started) has finished <paramref name="syncs"/> more
    /// full syncs: the first may have begun before this call, every later one began after it, so whatever the agent would
    /// do with what it had been given by then is done. How a test shows that something did not happen, without a sleep.
    /// </summary>
    public async Task WaitForFullSyncsAsync(string node, int syncs = 2)
    {
        NodeAgentHost agent = _agents.Last(a => a.NodeName == node);
        long start = agent.Reconciler.FullSyncs;
        await Eventually.TrueAsync(() => agent.Reconciler.FullSyncs >= start + syncs, $"{syncs} more full syncs of the agent on {node}");
    }

    /// <summary>Changes the spec as the operator would (read, mutate, PUT with resourceVersion); returns the stored object.</summary>
    public async Task<V1Alpha1NvmeNode> UpdateSpecAsync(string node, Action<V1Alpha1NvmeNode.EntitySpec> change)
    {
        V1Alpha1NvmeNode? stored = await Nodes.UpdateAsync(NamespacedName.Cluster(node), n =>
        {
            change(n.Spec);
            return true;
        }, CancellationToken.None);
        return stored!;
    }

    /// <summary>Waits until the agent reports the current generation and <paramref name="condition"/> holds.</summary>
    public async Task<V1Alpha1NvmeNode> WaitForStatusAsync(string node, Func<V1Alpha1NvmeNode, bool> condition, string what) =>
        (await Eventually.MatchAsync(
            () => Nodes.TryGetAsync(NamespacedName.Cluster(node), CancellationToken.None),
            n => n?.Status is not null && n.Status.ObservedGeneration == n.Metadata.Generation && condition(n),
            what))!;

    public Task<V1Alpha1NvmeNode> WaitForResultAsync(string node, string operationId) =>
        WaitForStatusAsync(node, n => Result(n, operationId) is { State: not OperationState.Running }, $"a terminal result of operation {operationId} on {node}");

    public static NodeOperationResult? Result(V1Alpha1NvmeNode node, string operationId) =>
        node.Status?.OperationResults?.FirstOrDefault(r => r.Id == operationId);

    public static bool IsReady(V1Alpha1NvmeNode node) => Conditions.IsTrueFor(node.Status?.Conditions, AgentConditions.Ready, node.Metadata.Generation);

    /// <summary>The empty state Secret the operator creates before it requests SaveState.</summary>
    public Task<V1Secret> CreateStateSecretAsync(string name) =>
        Secrets.CreateAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = StateNamespace }, Type = "Opaque" }, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (NodeAgentHost agent in _agents)
        {
            await agent.DisposeAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        foreach (string directory in _directories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

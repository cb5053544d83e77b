using System.Globalization;
using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.Hosting;
using NvmeLm.Kube;
using NvmeLm.Kube.WarmUp;

namespace NvmeLm.DevCluster;

/// <summary>
/// The whole system in one process (DESIGN §7, the demo's composition root): the embedded API server with the
/// real CRDs, N emulated nodes each with its Node object, hardware and node agent, and one or more operator
/// replicas. Agents and operators can be killed and restarted while hardware, journals and API state stay, which
/// is what the demo's <c>--fail-at</c> and the integration suite's fault matrix do.
/// </summary>
public sealed partial class SimulatedCluster : IAsyncDisposable
{
    /// <summary>The identity of the admin client (the demo's and the tests' own requests).</summary>
    public const string AdminIdentity = "admin";

    private readonly List<SimulatedNode> _nodes = [];
    private readonly List<OperatorHost> _operators = [];
    private readonly object _gate = new();
    private readonly string? _ownedWorkDirectory;
    private int _operatorSequence;

    private SimulatedCluster(SimulatedClusterOptions options, EmbeddedApiServer server, string workDirectory, string? ownedWorkDirectory)
    {
        Options = options;
        Server = server;
        WorkDirectory = workDirectory;
        _ownedWorkDirectory = ownedWorkDirectory;
        Admin = server.CreateClient(AdminIdentity);
        Migrations = new ResourceClient<V1Alpha1NvmeMigration>(Admin);
        NvmeNodes = new ResourceClient<V1Alpha1NvmeNode>(Admin);
        Pools = new ResourceClient<V1Alpha1NvmeVfPool>(Admin);
        Kubelet = options.SimulatedKubelet ? new KubeVirt.SimulatedKubelet(NvmeNodes) : null;
    }

    /// <summary>The simulated kubelet of every node (<see cref="SimulatedClusterOptions.SimulatedKubelet"/>), else null.</summary>
    public KubeVirt.SimulatedKubelet? Kubelet { get; }

    public SimulatedClusterOptions Options { get; }

    public EmbeddedApiServer Server { get; }

    public string WorkDirectory { get; }

    /// <summary>Client with the admin identity (not counted as operator or agent traffic).</summary>
    public Kubernetes Admin { get; }

    public ResourceClient<V1Alpha1NvmeMigration> Migrations { get; }

    public ResourceClient<V1Alpha1NvmeNode> NvmeNodes { get; }

    public ResourceClient<V1Alpha1NvmeVfPool> Pools { get; }

    public IReadOnlyList<SimulatedNode> Nodes
    {
        get
        {
            lock (_gate)
            {
                return [.. _nodes.OrderBy(n => n.Index)];
            }
        }
    }

    /// <summary>Operator replicas running now, oldest first.</summary>
    public IReadOnlyList<OperatorHost> Operators
    {
        get
        {
            lock (_gate)
            {
                return [.. _operators];
            }
        }
    }

    public SimulatedNode Node(string name) => Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new ArgumentException($"no simulated node '{name}'", nameof(name));

    /// <summary>Starts the server, applies the CRDs, adds the nodes (agents running) and starts the operators.</summary>
    public static async Task<SimulatedCluster> StartAsync(SimulatedClusterOptions options, CancellationToken cancellationToken = default)
    {
        string? owned = null;
        var work = options.WorkDirectory ?? (owned = Directory.CreateTempSubdirectory("nvmelm-demo-").FullName);
        Directory.CreateDirectory(work);
        var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            KubeConfigPath = options.KubeConfigPath ?? Path.Combine(work, "kubeconfig"),
            ControllerInterval = TimeSpan.FromMilliseconds(50),
            Authorization = options.AccessControl ? ApiServer.Authorization.AuthorizationMode.Rbac : ApiServer.Authorization.AuthorizationMode.AlwaysAllow,
            ValidatingAdmissionPolicy = options.AccessControl,
            IdentityGroups = options.AccessControl ? DemoAccessControl.IdentityGroups(options.Nodes) : new EmbeddedApiServerOptions().IdentityGroups,
        }, cancellationToken).ConfigureAwait(false);
        // The cluster's API server stands in for a kube-apiserver that has served for days: its code is compiled
        // beside the setup, not inside the first migration's window (which the demo measures).
        _ = CodeWarmUp.StartOnce([typeof(EmbeddedApiServer).Assembly], []);
        var cluster = new SimulatedCluster(options, server, work, owned);
        try
        {
            await CrdInstaller.ApplyAsync(cluster.Admin, ClusterManifests.Crds(), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (options.AccessControl)
            {
                await DemoAccessControl.ApplyAsync(cluster.Admin, cancellationToken).ConfigureAwait(false);
            }
            await cluster.Admin.CoreV1.CreateNamespaceAsync(
                new V1Namespace { Metadata = new V1ObjectMeta { Name = SimulatedClusterOptions.OperatorNamespace } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            await Parallel.ForEachAsync(options.Nodes.Select((spec, index) => (spec, index)),
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (item, ct) => await cluster.AddNodeAsync(item.spec, item.index, ct).ConfigureAwait(false)).ConfigureAwait(false);
            for (var i = 0; i < options.Operators; i++)
            {
                await cluster.StartOperatorAsync(cancellationToken).ConfigureAwait(false);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the Node object, the node's emulated hardware and journal directory, and starts its agent.</summary>
    public Task<SimulatedNode> AddNodeAsync(SimulatedNodeSpec spec, CancellationToken cancellationToken) =>
        AddNodeAsync(spec, Nodes.Count, cancellationToken);

    private async Task<SimulatedNode> AddNodeAsync(SimulatedNodeSpec spec, int index, CancellationToken cancellationToken)
    {
        await Admin.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta
            {
                Name = spec.Name,
                Labels = new Dictionary<string, string>(spec.Labels) { [WellKnownLabels.Hostname] = spec.Name },
            },
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var journal = Path.Combine(WorkDirectory, "nodes", spec.Name, "journal");
        Directory.CreateDirectory(journal);
        var host = new EmulatedHost(EmulatedNodeHardware.Create(spec, index));
        var node = new SimulatedNode(spec, index, host, journal, Server.CreateClient(SimulatedNode.AgentIdentity(spec.Name)), Options.Agents,
            Kubelet);
        lock (_gate)
        {
            _nodes.Add(node);
        }

        await node.StartAgentAsync(cancellationToken).ConfigureAwait(false);
        return node;
    }

    /// <summary>
    /// Starts one more operator replica (it competes for the Lease when leader election is on). With
    /// <paramref name="releaseLeaseOnStop"/> false, stopping it later is a crash: the Lease stays held until it
    /// expires, as a killed process leaves it.
    /// </summary>
    public async Task<OperatorHost> StartOperatorAsync(CancellationToken cancellationToken = default, bool releaseLeaseOnStop = true)
    {
        var identity = string.Create(CultureInfo.InvariantCulture, $"nvme-lm-operator-{Interlocked.Increment(ref _operatorSequence)}");
        var host = await OperatorHost.StartAsync(new OperatorHostOptions
        {
            Kubernetes = Server.CreateClient(OperatorIdentity(identity)),
            Identity = identity,
            HttpPort = null,
            LeaderElection = Options.LeaderElection,
            LeaseNamespace = SimulatedClusterOptions.OperatorNamespace,
            LeaseDuration = Options.LeaseDuration,
            RenewDeadline = Options.RenewDeadline,
            RetryPeriod = Options.RetryPeriod,
            ReleaseLeaseOnStop = releaseLeaseOnStop,
            MaxConcurrentMigrations = Options.MaxConcurrentMigrations,
            ResyncPeriod = Options.OperatorResyncPeriod,
            Migrations = Options.Migrations,
            LoggerFactory = Options.LoggerFactory,
        }, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _operators.Add(host);
        }

        return host;
    }

    /// <summary>Stops a replica (cancelling its in-flight reconciles); whether it releases its Lease was chosen at start.</summary>
    public async Task StopOperatorAsync(OperatorHost host)
    {
        lock (_gate)
        {
            if (!_operators.Remove(host))
            {
                return;
            }
        }

        await host.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The identity an operator replica's API requests carry.</summary>
    public static string OperatorIdentity(string replica) => "system:serviceaccount:nvme-lm-system:" + replica;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Operators)
        {
            await StopOperatorAsync(host).ConfigureAwait(false);
        }

        await Task.WhenAll(Nodes.Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
        Admin.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
        if (_ownedWorkDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedWorkDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }
}

using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Hosting;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Leadership;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Kube.Resources;
using NvmeLm.Kube.WarmUp;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Logging;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Nodes;
using NvmeLm.Operator.Pools;

namespace NvmeLm.Operator.Hosting;

/// <summary>
/// The operator composed in one object: one shared Kubernetes client, informers for NvmeMigration, NvmeNode,
/// NvmeVfPool and Node, the three controllers (nvmemigration, nvmenode, nvmevfpool) gated by one leader
/// elector, and the health/metrics server. <c>Program</c> runs it; the DevCluster demo and tests start and
/// stop it in-process (<see cref="StartAsync"/>, <see cref="DisposeAsync"/>).
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Kubernetes _kubernetes;
    private readonly bool _ownsClient;
    private readonly List<Task> _running = new();
    private readonly ILogger _logger;
    private readonly MigrationReconciler _migrations;
    private readonly ILoggerFactory _loggers;
    private OperatorHttpServer? _http;

    private OperatorHost(OperatorHostOptions options, Kubernetes kubernetes, bool ownsClient)
    {
        Options = options;
        _kubernetes = kubernetes;
        _ownsClient = ownsClient;
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger("NvmeLm.Operator");
        _loggers = loggers;
        var kubeMetrics = options.Metrics ?? KubeMetrics.Default;
        Metrics = new OperatorMetrics(kubeMetrics);

        var migrationClient = new ResourceClient<V1Alpha1NvmeMigration>(kubernetes);
        var nvmeNodeClient = new ResourceClient<V1Alpha1NvmeNode>(kubernetes);
        var poolClient = new ResourceClient<V1Alpha1NvmeVfPool>(kubernetes);
        MigrationInformer = new Informer<V1Alpha1NvmeMigration>(migrationClient, new InformerOptions { Namespace = options.Namespace },
            loggers.CreateLogger("NvmeLm.Kube.Informer.NvmeMigration"), kubeMetrics);
        NvmeNodeInformer = new Informer<V1Alpha1NvmeNode>(nvmeNodeClient, new InformerOptions(),
            loggers.CreateLogger("NvmeLm.Kube.Informer.NvmeNode"), kubeMetrics);
        PoolInformer = new Informer<V1Alpha1NvmeVfPool>(poolClient, new InformerOptions(),
            loggers.CreateLogger("NvmeLm.Kube.Informer.NvmeVfPool"), kubeMetrics);
        // Nodes only for their names and labels: a metadata-only watch, so the cache holds no Node status (images,
        // capacity, conditions), which is most of a Node's size and changes with every kubelet status update.
        NodeInformer = new Informer<PartialObjectMetadata>(new ResourceClient<PartialObjectMetadata>(kubernetes, ResourceType.Of<V1Node>()),
            new InformerOptions(), loggers.CreateLogger("NvmeLm.Kube.Informer.Node"), kubeMetrics);

        Elector = options.LeaderElection
            ? new LeaderElector(kubernetes, new LeaderElectionOptions
            {
                LeaseName = options.LeaseName,
                LeaseNamespace = options.LeaseNamespace,
                Identity = options.Identity,
                LeaseDuration = options.LeaseDuration,
                RenewDeadline = options.RenewDeadline,
                RetryPeriod = options.RetryPeriod,
                ReleaseOnShutdown = options.ReleaseLeaseOnStop,
            }, loggers.CreateLogger("NvmeLm.Kube.LeaderElector"), kubeMetrics, options.TimeProvider)
            : null;

        var events = options.RecordEvents ? new EventRecorder(kubernetes, "nvme-lm-operator", options.Identity, loggers.CreateLogger("NvmeLm.Kube.Events"), options.TimeProvider) : null;
        var gate = new CriticalSectionGate(options.Migrations.MaxCriticalSectionsPerNode, MigrationInformer.Cache);
        var migrationContext = new MigrationContext(migrationClient, nvmeNodeClient, new ResourceClient<V1Secret>(kubernetes), NvmeNodeInformer.Cache, MigrationInformer.Cache,
            events, Metrics, options.Migrations, options.TimeProvider, loggers.CreateLogger("NvmeLm.Operator.Migrations"), gate, _stop.Token, KubeVirt,
            new ResourceClient<VirtualMachineInstanceMigration>(kubernetes));
        _migrations = new MigrationReconciler(migrationContext);
        MigrationController = new Controller<V1Alpha1NvmeMigration>(MigrationInformer, _migrations,
            new ControllerOptions
            {
                Name = "nvmemigration",
                MaxConcurrentReconciles = options.MaxConcurrentMigrations,
                ResyncPeriod = options.ResyncPeriod,
                // A migration whose device is stopped goes before preparations (DESIGN §4.1).
                Priority = key => MigrationReconciler.PriorityOf(MigrationInformer.Cache.Get(key)),
            },
            Elector, loggers.CreateLogger("NvmeLm.Kube.Controller.nvmemigration"), kubeMetrics);
        MigrationController.Watches(NvmeNodeInformer, MigrationsOnNode);
        gate.Wake = MigrationController.Queue.Add;

        NvmeNodeController = new Controller<V1Alpha1NvmeNode>(NvmeNodeInformer,
            new NvmeNodeReconciler(nvmeNodeClient, NvmeNodeInformer.Cache, PoolInformer.Cache, NodeInformer.Cache, options.Nodes, options.TimeProvider,
                loggers.CreateLogger("NvmeLm.Operator.Nodes")),
            new ControllerOptions { Name = "nvmenode", MaxConcurrentReconciles = 4, ResyncPeriod = options.ResyncPeriod },
            Elector, loggers.CreateLogger("NvmeLm.Kube.Controller.nvmenode"), kubeMetrics);
        NvmeNodeController.Watches(PoolInformer, _ => NvmeNodeInformer.Cache.Keys());
        NvmeNodeController.Watches(NodeInformer, node => [NamespacedName.Cluster(node.Metadata.Name)]);

        PoolController = new Controller<V1Alpha1NvmeVfPool>(PoolInformer,
            new PoolStatusReconciler(poolClient, PoolInformer.Cache, NvmeNodeInformer.Cache, NodeInformer.Cache, options.TimeProvider,
                loggers.CreateLogger("NvmeLm.Operator.Pools")),
            new ControllerOptions { Name = "nvmevfpool", MaxConcurrentReconciles = 2, ResyncPeriod = options.ResyncPeriod },
            Elector, loggers.CreateLogger("NvmeLm.Kube.Controller.nvmevfpool"), kubeMetrics);
        PoolController.Watches(NvmeNodeInformer, _ => PoolInformer.Cache.Keys());
        PoolController.Watches(NodeInformer, _ => PoolInformer.Cache.Keys());
        PoolController.Watches(PoolInformer, _ => PoolInformer.Cache.Keys());
    }

    public OperatorHostOptions Options { get; }

    public OperatorMetrics Metrics { get; }

    public HealthChecks Health { get; } = new();

    /// <summary>Null when leader election is off.</summary>
    public LeaderElector? Elector { get; }

    /// <summary>True while this instance acts (always, without leader election).</summary>
    public bool IsLeader => Elector?.IsLeader ?? true;

    /// <summary>The bound health/metrics port, when the server runs.</summary>
    public int? HttpPort => _http?.Port;

    internal Informer<V1Alpha1NvmeMigration> MigrationInformer { get; }

    internal Informer<V1Alpha1NvmeNode> NvmeNodeInformer { get; }

    internal Informer<V1Alpha1NvmeVfPool> PoolInformer { get; }

    internal Informer<PartialObjectMetadata> NodeInformer { get; }

    internal Controller<V1Alpha1NvmeMigration> MigrationController { get; }

    /// <summary>KubeVirt's VMIs when the cluster serves them (decided at start), for the migrations that name one.</summary>
    internal KubeVirtView KubeVirt { get; } = new();

    /// <summary>Null unless KubeVirt is installed.</summary>
    internal Informer<VirtualMachineInstance>? VmiInformer { get; private set; }

    /// <summary>Null unless KubeVirt is installed: adopts users' VMIMs (see <see cref="VmimAdopter"/>).</summary>
    internal Controller<VirtualMachineInstanceMigration>? VmimController { get; private set; }

    internal Controller<V1Alpha1NvmeNode> NvmeNodeController { get; }

    internal Controller<V1Alpha1NvmeVfPool> PoolController { get; }

    /// <summary>Starts everything and returns once the caches are synced (controllers then run in the background).</summary>
    public static async Task<OperatorHost> StartAsync(OperatorHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ownsClient = options.Kubernetes is null;
        var kubernetes = options.Kubernetes ?? KubernetesClientFactory.Create(options.KubeconfigPath);
        var host = new OperatorHost(options, kubernetes, ownsClient);
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Completes when the host stops (for <c>Program</c>: run until a signal).</summary>
    public Task Completion => Task.WhenAll(_running);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var stop = _stop.Token;
        // Not awaited: compiles the operator's code and prepares its resources' serializers beside the informers' first
        // lists, so that the first migration's window does not pay for them (CodeWarmUp).
        _ = CodeWarmUp.StartOnce(
            [typeof(OperatorHost).Assembly, typeof(NamespacedName).Assembly, typeof(V1Alpha1NvmeMigration).Assembly],
            [typeof(V1Alpha1NvmeMigration), typeof(V1Alpha1NvmeNode), typeof(V1Alpha1NvmeVfPool), typeof(V1Secret)]);
        Health.AddReadiness("informers synced", () =>
            MigrationInformer.HasSynced && NvmeNodeInformer.HasSynced && PoolInformer.HasSynced && NodeInformer.HasSynced);
        if (Options.HttpPort is { } port)
        {
            _http = await OperatorHttpServer.StartAsync(new OperatorHttpServerOptions { Port = port, Address = Options.HttpAddress },
                Health, Metrics.Kube, cancellationToken).ConfigureAwait(false);
        }

        _running.Add(Task.Run(() => MigrationInformer.RunAsync(stop), CancellationToken.None));
        _running.Add(Task.Run(() => NvmeNodeInformer.RunAsync(stop), CancellationToken.None));
        _running.Add(Task.Run(() => PoolInformer.RunAsync(stop), CancellationToken.None));
        _running.Add(Task.Run(() => NodeInformer.RunAsync(stop), CancellationToken.None));
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop))
        {
            // Controllers decide on cached cross-kind facts (pools, nodes): start them only when every cache is filled.
            await Task.WhenAll(MigrationInformer.WaitForCacheSyncAsync(linked.Token), NvmeNodeInformer.WaitForCacheSyncAsync(linked.Token),
                PoolInformer.WaitForCacheSyncAsync(linked.Token), NodeInformer.WaitForCacheSyncAsync(linked.Token)).ConfigureAwait(false);
        }

        await StartKubeVirtBridgeAsync(stop, cancellationToken).ConfigureAwait(false);
        if (Elector is not null)
        {
            _running.Add(Task.Run(() => Elector.RunAsync(stop), CancellationToken.None));
        }

        _running.Add(Task.Run(() => MigrationController.RunAsync(stop), CancellationToken.None));
        _running.Add(Task.Run(() => NvmeNodeController.RunAsync(stop), CancellationToken.None));
        _running.Add(Task.Run(() => PoolController.RunAsync(stop), CancellationToken.None));
        _logger.OperatorStarted(Options.Identity, Elector is not null, Options.Namespace ?? "(all)");
    }

    /// <summary>
    /// KubeVirt is optional: asked once whether its VMIs are served; if so their informer runs and is synced before the
    /// migration controller starts, and a VMI's change wakes the migrations that name it. Without it, logged once.
    /// </summary>
    private async Task StartKubeVirtBridgeAsync(CancellationToken stop, CancellationToken cancellationToken)
    {
        var vmis = new ResourceClient<VirtualMachineInstance>(_kubernetes);
        var (served, why) = await KubeVirtDiscovery.ServesVmisAsync(vmis, cancellationToken).ConfigureAwait(false);
        _logger.KubeVirtBridge(served ? "on" : "off", why);
        if (!served)
        {
            return;
        }

        VmiInformer = new Informer<VirtualMachineInstance>(vmis, new InformerOptions { Namespace = Options.Namespace },
            _loggers.CreateLogger("NvmeLm.Kube.Informer.VirtualMachineInstance"), Metrics.Kube);
        MigrationController.Watches(VmiInformer, MigrationsOfVmi);
        _running.Add(Task.Run(() => VmiInformer.RunAsync(stop), CancellationToken.None));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop);
        await VmiInformer.WaitForCacheSyncAsync(linked.Token).ConfigureAwait(false);
        KubeVirt.Install(VmiInformer.Cache);

        // Users' VMIMs for VMs holding a pool VF become NvmeMigrations owned by them.
        var vmims = new Informer<VirtualMachineInstanceMigration>(new ResourceClient<VirtualMachineInstanceMigration>(_kubernetes),
            new InformerOptions { Namespace = Options.Namespace }, _loggers.CreateLogger("NvmeLm.Kube.Informer.VirtualMachineInstanceMigration"), Metrics.Kube);
        var adopter = new VmimAdopter(vmims.Cache, KubeVirt, name => NvmeNodeInformer.Cache.Get(NamespacedName.Cluster(name)),
            new ResourceClient<V1Alpha1NvmeMigration>(_kubernetes), _loggers.CreateLogger("NvmeLm.Operator.KubeVirt"));
        VmimController = new Controller<VirtualMachineInstanceMigration>(vmims, adopter, new ControllerOptions { Name = "vmim-adopter", ResyncPeriod = Options.ResyncPeriod },
            Elector, _loggers.CreateLogger("NvmeLm.Kube.Controller.vmim-adopter"), Metrics.Kube);
        // A VMIM may arrive before its VMI (or the VMI's allocation) reaches this operator's caches: the VMI's and
        // the NvmeNode's changes wake the VMIMs they concern, so adoption does not wait for the next resync.
        VmimController.Watches(VmiInformer, vmi => OpenVmims(vmims.Cache, v => v.Metadata.NamespaceProperty == vmi.Metadata.NamespaceProperty && v.Spec.VmiName == vmi.Metadata.Name));
        VmimController.Watches(NvmeNodeInformer, node => OpenVmims(vmims.Cache, v => KubeVirt.GetVmi(v.Metadata.NamespaceProperty ?? "", v.Spec.VmiName)?.Status?.NodeName == node.Metadata.Name));
        _running.Add(Task.Run(() => vmims.RunAsync(stop), CancellationToken.None));
        await vmims.WaitForCacheSyncAsync(linked.Token).ConfigureAwait(false);
        _running.Add(Task.Run(() => VmimController.RunAsync(stop), CancellationToken.None));
    }

    private static IEnumerable<NamespacedName> OpenVmims(ObjectCache<VirtualMachineInstanceMigration> vmims, Func<VirtualMachineInstanceMigration, bool> concerns) =>
        vmims.List().Where(v => !VmimPhases.IsFinal(v.Phase) && concerns(v)).Select(NamespacedName.Of);

    private IEnumerable<NamespacedName> MigrationsOfVmi(VirtualMachineInstance vmi) =>
        MigrationInformer.Cache.List()
            .Where(m => m.Spec.VmiName == vmi.Metadata.Name && m.Metadata.NamespaceProperty == vmi.Metadata.NamespaceProperty
                && !MigrationPhases.IsTerminal(MigrationPhases.Of(m)))
            .Select(NamespacedName.Of);

    /// <summary>NvmeNode changed (an agent answered, inventory moved): wake the migrations that use that node.</summary>
    private IEnumerable<NamespacedName> MigrationsOnNode(V1Alpha1NvmeNode node)
    {
        var name = node.Metadata.Name;
        foreach (var migration in MigrationInformer.Cache.List())
        {
            var phase = MigrationPhases.Of(migration);
            if (MigrationPhases.IsTerminal(phase) && migration.Metadata.DeletionTimestamp is null)
            {
                continue;
            }

            if (migration.Spec.Source.Node == name || migration.Spec.Destination.Node == name)
            {
                yield return NamespacedName.Of(migration);
            }
        }
    }

    /// <summary>Stops the controllers (cancelling in-flight reconciles), releases the lease, stops the HTTP server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        // NvmeNode writes still in flight were cancelled with the host; wait for them, so nothing lands after this returns.
        await _migrations.DrainAsync().ConfigureAwait(false);
        if (_http is not null)
        {
            await _http.DisposeAsync().ConfigureAwait(false);
            _http = null;
        }

        if (_ownsClient)
        {
            _kubernetes.Dispose();
        }

        _logger.OperatorStopped();
        _stop.Dispose();
    }
}

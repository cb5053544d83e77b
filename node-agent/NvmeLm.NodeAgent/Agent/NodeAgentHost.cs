using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Journal;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Queue;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Kube.Resources;
using NvmeLm.Kube.WarmUp;
using NvmeLm.NodeAgent.DevicePlugin;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// One node agent in Kubernetes mode, started and stopped in-process: it makes sure its NvmeNode exists, watches only
/// that object (field selector <c>metadata.name=&lt;node&gt;</c>), and reconciles it with <see cref="NvmeNodeReconciler"/>.
/// The <c>run</c> command hosts one; the DevCluster demo and the integration tests host N in one process, each with
/// its own host seams and journal directory. Disposing it stops the agent; the hardware and the journal stay, so a
/// new host on the same journal directory continues where this one stopped (a restarted DaemonSet pod).
/// </summary>
/// <example>
/// <code>
/// await using var agent = await NodeAgentHost.StartAsync(new NodeAgentOptions
///     { NodeName = "worker-1", Kubernetes = client, Hardware = emulated.CreateHardware(), JournalDirectory = dir });
/// </code>
/// </example>
public sealed class NodeAgentHost : IAsyncDisposable
{
    /// <summary>The controller name in metrics and logs.</summary>
    public const string ControllerName = "nvmenode-agent";

    private readonly CancellationTokenSource _stop = new();
    private readonly Informer<V1Alpha1NvmeNode> _informer;
    private readonly StateSourceWatch _stateSources;
    private readonly StateSecretPrefetch _prefetch;
    private readonly ILogger _logger;
    private Task _run = Task.CompletedTask;
    private int _stopped;

    private NodeAgentHost(
        NodeAgentOptions options, Informer<V1Alpha1NvmeNode> informer, NvmeNodeReconciler reconciler, OperationJournal operations,
        StateSourceWatch stateSources, StateSecretPrefetch prefetch, WorkloadDevices devices, ILogger logger)
    {
        Options = options;
        _informer = informer;
        _stateSources = stateSources;
        _prefetch = prefetch;
        Reconciler = reconciler;
        Operations = operations;
        Devices = devices;
        _logger = logger;
    }

    public NodeAgentOptions Options { get; }

    public string NodeName => Options.NodeName;

    public NvmeNodeReconciler Reconciler { get; }

    /// <summary>The host-side record of requested operations (read-only use: tests and diagnostics).</summary>
    public OperationJournal Operations { get; }

    /// <summary>The source nodes armed RestoreState operations wait on (read-only use: tests and diagnostics).</summary>
    public StateSourceWatch StateSources => _stateSources;

    /// <summary>The state Secrets watched ahead of their RestoreState (read-only use: tests and diagnostics).</summary>
    public StateSecretPrefetch StatePrefetch => _prefetch;

    /// <summary>The pool VFs as the last sync found them, the kubelet device plugin and the allocation tracker (when configured).</summary>
    public WorkloadDevices Devices { get; }

    /// <summary>True once the NvmeNode informer has listed its object.</summary>
    public bool HasSynced => _informer.HasSynced;

    /// <summary>Validates the options, creates the NvmeNode if missing, and starts watching and reconciling.</summary>
    public static async Task<NodeAgentHost> StartAsync(NodeAgentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ILogger logger = options.LoggerFactory?.CreateLogger("nvme-lm-agent." + options.NodeName) ?? NullLogger.Instance;
        var nodes = new ResourceClient<V1Alpha1NvmeNode>(options.Kubernetes);
        var hostJournal = new HostJournal(options.JournalDirectory, options.Time);
        // Read before anything else: a corrupt journal stops the agent before it acts on guesses. A write left
        // pending by a previous agent is not replayed: the steps re-read the hardware and do only what is missing.
        foreach (PfJournalRecord record in hostJournal.ReadAll())
        {
            if (record.Pending is { } pending)
            {
                AgentLog.PendingIntent(logger, record.Pf, pending.Step, pending.Action, pending.StartedAt);
            }
        }

        var operations = new OperationJournal(options.JournalDirectory, options.NodeName);
        WindowPrerequisites.Check(operations);
        // Not awaited: the first migration is seconds away at the earliest; the compile runs beside the first sync.
        _ = CodeWarmUp.StartOnce(AgentWarmUp.Assemblies, AgentWarmUp.Resources);
        await NodeBootstrap.EnsureNodeAsync(nodes, options.NodeName, logger, cancellationToken).ConfigureAwait(false);

        var informerOptions = new InformerOptions
        {
            FieldSelector = "metadata.name=" + options.NodeName,
            WatchTimeout = options.WatchTimeout,
            StallTimeout = options.StallTimeout,
        };
        var informer = new Informer<V1Alpha1NvmeNode>(nodes, informerOptions, logger, options.Metrics);
        var applier = new SpecApplier(options.Hardware, hostJournal, options.Identity, logger);
        var secretClient = new ResourceClient<V1Secret>(options.Kubernetes);
        var secrets = new StateSecretStore(secretClient, options.MaxStateBytes);
        var prefetch = new StateSecretPrefetch(secretClient, options.MaxStateBytes, logger);
        var stateSources = new StateSourceWatch(nodes, informerOptions, logger, options.Metrics, options.Time) { Requested = prefetch.OnRequested };
        var devices = WorkloadDevices.Create(options, logger);
        var reconciler = new NvmeNodeReconciler(
            options,
            nodes,
            informer.Cache,
            applier,
            new InventoryReader(options.Hardware, hostJournal, logger),
            new OperationExecutor(new OperationHardware(options.Hardware, applier, secrets, prefetch), operations, stateSources, prefetch, options.Time, logger),
            stateSources,
            new EventRecorder(options.Kubernetes, "nvme-lm-agent", options.NodeName, logger, options.Time),
            devices,
            logger);
        var controller = new Controller<V1Alpha1NvmeNode>(
            informer, reconciler, new ControllerOptions
            {
                Name = ControllerName,
                MaxConcurrentReconciles = 1,
                // A failed sync is retried soon, and never later than the next resync would have been.
                Backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), options.ResyncPeriod),
            }, leaderElector: null, logger, options.Metrics);

        var ownKey = NamespacedName.Cluster(options.NodeName);
        stateSources.Wake = () => controller.Queue.Add(ownKey);
        if (devices.Tracker is { } tracker)
        {
            // New allocations are written to the status without waiting for the next resync.
            tracker.Changed += () => controller.Queue.Add(ownKey);
        }

        var host = new NodeAgentHost(options, informer, reconciler, operations, stateSources, prefetch, devices, logger);
        CancellationToken stop = host._stop.Token;
        host._run = Task.WhenAll(
            Task.Run(() => informer.RunAsync(stop), CancellationToken.None),
            Task.Run(() => controller.RunAsync(stop), CancellationToken.None),
            Task.Run(() => devices.RunAsync(stop), CancellationToken.None));
        AgentLog.Started(logger, options.NodeName, hostJournal.Directory, options.ResyncPeriod);
        return host;
    }

    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken) => _informer.WaitForCacheSyncAsync(cancellationToken);

    /// <summary>Stops watching and reconciling and waits for an in-flight reconcile to end (it observes the token).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Normal shutdown.
        }

        await _stateSources.DisposeAsync().ConfigureAwait(false);
        await _prefetch.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        AgentLog.Stopped(_logger, NodeName);
    }

    /// <summary>Completes when the agent stops on its own (a fatal error) or is stopped.</summary>
    public Task Completion => _run;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}

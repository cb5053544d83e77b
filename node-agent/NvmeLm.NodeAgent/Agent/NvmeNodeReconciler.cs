using k8s;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Kube.Resources;
using NvmeLm.NodeAgent.DevicePlugin;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// The agent's one reconciler, for its own NvmeNode (SNO daemon loop order, operator-lessons (b)2): validate the
/// spec, apply it to the hardware, run the requested operations, re-read the inventory, write the status with the
/// generation it applied. Level-triggered: it runs on every change of the NvmeNode and at least every resync period,
/// and any run converges the hardware to the spec. A write performed on a spec that was already applied is drift
/// (someone changed the hardware): it is corrected, logged and recorded as a Warning event.
/// </summary>
public sealed class NvmeNodeReconciler : IReconciler
{
    private readonly NodeAgentOptions _options;
    private readonly ResourceClient<V1Alpha1NvmeNode> _nodes;
    private readonly ObjectCache<V1Alpha1NvmeNode> _cache;
    private readonly InventoryReader _inventory;
    private readonly OperationExecutor _operations;
    private readonly StateSourceWatch _stateSources;
    private readonly EventRecorder _events;
    private readonly WorkloadDevices _devices;
    private readonly ILogger _logger;
    private long? _lastSyncedGeneration;
    private DateTimeOffset _lastFullSync = DateTimeOffset.MinValue;
    private readonly ChangedPfApplier _changedPfs;
    private V1Alpha1NvmeNode? _lastStored;
    private SyncReport? _lastReport;
    private long _reportedAllocations;
    private long _fullSyncs;

    public NvmeNodeReconciler(
        NodeAgentOptions options,
        ResourceClient<V1Alpha1NvmeNode> nodes,
        ObjectCache<V1Alpha1NvmeNode> cache,
        SpecApplier applier,
        InventoryReader inventory,
        OperationExecutor operations,
        StateSourceWatch stateSources,
        EventRecorder events,
        WorkloadDevices devices,
        ILogger logger)
    {
        _stateSources = stateSources;
        _options = options;
        _nodes = nodes;
        _cache = cache;
        _changedPfs = new ChangedPfApplier(applier, options.ResyncPeriod, options.Time);
        _inventory = inventory;
        _operations = operations;
        _events = events;
        _devices = devices;
        _logger = logger;
    }

    /// <summary>Number of drift corrections so far (for tests and the demo's summary).</summary>
    public int DriftCorrections { get; private set; }

    /// <summary>
    /// Full syncs finished so far (hardware re-read, spec and operations applied, status written if it changed): a test
    /// that waits for two more knows the agent has acted on everything it had been given before it started waiting.
    /// </summary>
    public long FullSyncs => Interlocked.Read(ref _fullSyncs);

    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        if (key.Name != _options.NodeName)
        {
            return ReconcileResult.Success();
        }

        V1Alpha1NvmeNode? node = _cache.Get(key) ?? await _nodes.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            // Deleted while the agent runs: the node still has an agent, so it still has an NvmeNode.
            await NodeBootstrap.EnsureNodeAsync(_nodes, _options.NodeName, _logger, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success();
        }

        if (node.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Success();
        }

        DateTimeOffset now = _options.Time.GetUtcNow();
        // The trace's "seen" (DESIGN §4.1): the node read above is what this sync acts on.
        DateTime syncStartedAt = MicroTime.Truncate(now);
        // The echo of the agent's own status write (or a re-list that changed nothing) carries no new spec; the
        // periodic resync does the hardware work. Compare the spec generation, not the resourceVersion: a spec
        // the operator changed during a sync is already inside the object the status write returns. A source node
        // reporting the SaveState a waiting RestoreState needs is new work at the same generation.
        if (node.Metadata.Generation is { } generation && generation == _lastSyncedGeneration
            && now - _lastFullSync < _options.ResyncPeriod / 2 && !_stateSources.TakeWake())
        {
            if (_lastReport is { } last && _devices.AllocationsVersion != _reportedAllocations)
            {
                // Only the allocations changed (PodResources): publish them without touching the hardware.
                await WriteStatusAsync(node, last, now, cancellationToken).ConfigureAwait(false);
            }

            return ReconcileResult.Success(_options.ResyncPeriod);
        }

        // Until this sync has succeeded and its status is stored, nothing counts as synced: a failure's back-off
        // retry must run in full, not be taken for an echo.
        _lastSyncedGeneration = null;
        (SyncReport report, string? retryReason) = await SyncAsync(node, syncStartedAt, cancellationToken).ConfigureAwait(false);
        _lastFullSync = now;
        _lastReport = report;
        await WriteStatusAsync(node, report, now, cancellationToken).ConfigureAwait(false);

        Interlocked.Increment(ref _fullSyncs);
        if (retryReason is not null)
        {
            // Hardware errors and operations waiting on the API are retried with the controller's capped back-off
            // (at most one resync period), not only at the next resync.
            return ReconcileResult.Failure(retryReason);
        }

        _lastSyncedGeneration = node.Metadata.Generation;
        return ReconcileResult.Success(_options.ResyncPeriod < _options.HeartbeatPeriod ? _options.ResyncPeriod : _options.HeartbeatPeriod);
    }

    /// <summary>One full sync; the second value says why it must be retried soon (null: it need not).</summary>
    private async Task<(SyncReport Report, string? RetryReason)> SyncAsync(V1Alpha1NvmeNode node, DateTime syncStartedAt, CancellationToken cancellationToken)
    {
        long? generation = node.Metadata.Generation;
        var (desired, specErrors) = SpecValidator.Validate(node.Spec);
        await RunWindowFirstAsync(node, desired, syncStartedAt, cancellationToken).ConfigureAwait(false);
        V1Alpha1NvmeNode.EntityStatus? current = CurrentStatus(node);
        bool appliedBefore = current?.ObservedGeneration == generation
            && Conditions.IsTrueFor(current?.Conditions, AgentConditions.Ready, generation);
        IReadOnlyList<PfApplyResult> applied = _changedPfs.Apply(node.Spec, desired);
        var errors = new List<string>(specErrors);
        errors.AddRange(applied.Where(a => !a.Succeeded).Select(a => a.Error!));
        string? driftCorrected = null;
        string? driftNotCorrected = null;
        if (appliedBefore && applied.SelectMany(a => a.Writes).ToList() is { Count: > 0 } drift)
        {
            DriftCorrections++;
            string writes = Bounded("re-applied: " + string.Join("; ", drift));
            AgentLog.DriftCorrected(_logger, _options.NodeName, writes);
            await _events.RecordAsync(node, EventType.Warning, AgentConditions.DriftCorrectedReason,
                Bounded($"hardware differed from the applied spec (changed outside the agent); {writes}"), cancellationToken).ConfigureAwait(false);
            driftCorrected = writes;
        }

        if (appliedBefore && applied.FirstOrDefault(a => !a.Succeeded) is { } stillWrong)
        {
            // The same spec applied cleanly before: the host changed under it, and re-applying failed.
            driftNotCorrected = stillWrong.Error;
        }

        var failedPfs = applied.Where(a => !a.Succeeded).Select(a => a.Pf).ToHashSet();
        var (results, retry, _) = await _operations.RunAsync(
            WithCurrentStatus(node), desired, failedPfs, OperationPass.Full, _options.OperationRetention, syncStartedAt, cancellationToken).ConfigureAwait(false);
        var managed = desired.Select(d => d.Pf).ToHashSet();
        var (pfs, inventoryErrors) = _inventory.Read(managed);
        errors.AddRange(inventoryErrors.Where(e => managed.Contains(e.Pf)).Select(e => e.Error));
        PublishDevices(node.Spec, desired, failedPfs, pfs, inventoryErrors);
        var report = new SyncReport(generation, pfs, results, errors, specErrors.Count > 0, driftCorrected, driftNotCorrected);
        // An invalid spec waits for a new spec; hardware errors and API waits are worth retrying.
        string? retryReason = errors.Count > specErrors.Count ? errors[specErrors.Count]
            : retry ? "an operation is waiting on the API server (see the operation's message)"
            : null;
        return (report, retryReason);
    }

    /// <summary>The pool VFs with their health, for the device plugin and the allocation tracker.</summary>
    private void PublishDevices(
        V1Alpha1NvmeNode.EntitySpec spec, IReadOnlyList<DesiredPf> desired, IReadOnlySet<PciAddress> failedPfs,
        IReadOnlyList<PhysicalFunctionStatus> pfs, IReadOnlyList<(PciAddress Pf, string Error)> inventoryErrors)
    {
        var valid = desired.Select(d => d.Pf.ToString()).ToHashSet(StringComparer.Ordinal);
        var failed = failedPfs.Select(pf => pf.ToString())
            .Concat((spec.PhysicalFunctions ?? []).Select(pf => pf.Address).Where(address => !valid.Contains(address)))
            .ToHashSet(StringComparer.Ordinal);
        var unreadable = inventoryErrors.Select(e => e.Pf.ToString()).ToHashSet(StringComparer.Ordinal);
        _devices.Publish(DeviceSnapshotBuilder.Build(spec, failed, pfs, unreadable, _inventory.VfioGroupExists, _devices.Snapshot));
    }

    /// <summary>Composes the status from a sync's report and the current allocations, and writes it when it changed or the heartbeat is due.</summary>
    private async Task WriteStatusAsync(V1Alpha1NvmeNode node, SyncReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long allocationsVersion = _devices.AllocationsVersion;
        V1Alpha1NvmeNode.EntityStatus? status = NodeStatusComposer.Compose(
            CurrentStatus(node), report, _devices.Allocations, _options.AgentVersion, _options.HeartbeatPeriod, now);
        if (status is not null)
        {
            await WriteStatusAsync(node, status, cancellationToken).ConfigureAwait(false);
            AgentLog.StatusWritten(_logger, _options.NodeName, report.Generation);
        }

        _reportedAllocations = allocationsVersion;
    }

    /// <summary>
    /// The critical section first (DESIGN §4.1): before the spec's preparation work (holds, binds, hand-backs of other
    /// migrations) and before the inventory read, run the Suspend/SaveState/RestoreState/Resume operations whose VF is
    /// already locked to their owner, and publish their results at once: the destination agent waits on the source's
    /// SaveState result, and a suspended VM waits on both. The status keeps the previous inventory and
    /// observedGeneration (this generation is not applied yet); the full sync that follows writes both.
    /// </summary>
    private async Task RunWindowFirstAsync(V1Alpha1NvmeNode node, IReadOnlyList<DesiredPf> desired, DateTime syncStartedAt, CancellationToken cancellationToken)
    {
        V1Alpha1NvmeNode.EntityStatus? current = CurrentStatus(node);
        OperationRun window = await _operations.RunAsync(
            WithCurrentStatus(node), desired, new HashSet<PciAddress>(), OperationPass.Window, _options.OperationRetention, syncStartedAt, cancellationToken).ConfigureAwait(false);
        if (window.Finished > 0 && current is not null)
        {
            await WriteStatusAsync(node, NodeStatusComposer.WithResults(current, window.Results), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The node with the status this agent stored last (the informer's copy may lag behind its own writes).</summary>
    private V1Alpha1NvmeNode WithCurrentStatus(V1Alpha1NvmeNode node) =>
        new() { Metadata = node.Metadata, Spec = node.Spec, Status = CurrentStatus(node) };

    /// <summary>
    /// One JSON Patch of the whole status (the agent is its only writer, so no resourceVersion check: the operator's
    /// spec writes on the same object never make it conflict). What was stored is kept as the base of the next
    /// status, since the informer's copy may not have caught up with it yet.
    /// </summary>
    private async Task WriteStatusAsync(V1Alpha1NvmeNode node, V1Alpha1NvmeNode.EntityStatus status, CancellationToken cancellationToken)
    {
        ResultReports.Stamp(status, MicroTime.Now(_options.Time));
        var copy = new V1Alpha1NvmeNode { Metadata = node.Metadata, Spec = node.Spec, Status = status };
        _lastStored = await _nodes.SetStatusAsync(copy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status last written to this object (by this agent), or the cached one.</summary>
    private V1Alpha1NvmeNode.EntityStatus? CurrentStatus(V1Alpha1NvmeNode node) =>
        _lastStored is { } stored && stored.Metadata.Uid == node.Metadata.Uid ? stored.Status : node.Status;

    private static string Bounded(string message) => message.Length <= 1024 ? message : message[..1023] + "…";
}

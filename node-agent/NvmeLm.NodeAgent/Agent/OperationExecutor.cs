using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Safety;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Resources;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Runs <c>spec.operations</c> (seed step 6, DESIGN §4) at most once each, by id, in spec order, and answers each in
/// <c>status.operationResults</c>. A result already terminal in the operation journal or in the status is reported
/// again, never re-run; a Running record (the agent died mid-operation) is re-run, which the steps make harmless:
/// they re-read the hardware and skip what is already done. Every operation runs for its owner: the steps refuse a
/// secondary that is not locked to that migration. An operation with <c>after</c> runs only once the operation it
/// names has Succeeded earlier in the same list, so two consecutive steps requested in one write run in order. A
/// RestoreState with <c>stateFrom</c> (requested before the source was suspended, DESIGN §4.1) waits, without a
/// result, until the source node reports that SaveState Succeeded, and then verifies the state against the digest
/// the source reported. Start and finish of a result come from one clock: the finish is the start plus the time the
/// monotonic clock measured, so no result lasts less than nothing. For the critical section's trace each result carries
/// when the agent first had what it needs (<c>seenAt</c>, the start of the sync that read the request, or when the
/// source's SaveState result arrived) and keeps the <c>reportedAt</c> of the status write that first published it.
/// </summary>
public sealed class OperationExecutor
{
    private readonly OperationHardware _hardware;
    private readonly OperationJournal _journal;
    private readonly StateSourceWatch _stateSources;
    private readonly StateSecretPrefetch _prefetch;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Armed RestoreStates whose target was suspended ahead (or tried): later syncs while they wait read nothing.</summary>
    private readonly HashSet<string> _targetsSuspendedAhead = new(StringComparer.Ordinal);

    public OperationExecutor(
        OperationHardware hardware, OperationJournal journal, StateSourceWatch stateSources, StateSecretPrefetch prefetch, TimeProvider time, ILogger logger)
    {
        _hardware = hardware;
        _journal = journal;
        _stateSources = stateSources;
        _prefetch = prefetch;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the operations <paramref name="pass"/> allows; see <see cref="OperationRun"/>.</summary>
    /// <param name="syncStartedAt">When the sync that read <paramref name="node"/> began: an operation first run now was seen then.</param>
    public async Task<OperationRun> RunAsync(
        V1Alpha1NvmeNode node, IReadOnlyList<DesiredPf> desired, IReadOnlySet<PciAddress> failedPfs, OperationPass pass, TimeSpan retention,
        DateTime syncStartedAt, CancellationToken cancellationToken)
    {
        var results = new List<NodeOperationResult>();
        bool retry = false;
        int finished = 0;
        var published = (node.Status?.OperationResults ?? []).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var requested = new HashSet<string>(StringComparer.Ordinal);
        var awaited = new List<OperationReference>();
        foreach (NodeOperation operation in node.Spec.Operations ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!requested.Add(operation.Id))
            {
                continue;
            }

            OperationRecord? known = _journal.Find(operation.Id);
            if (known is { IsTerminal: true })
            {
                results.Add(ResultReports.Keep(known.ToResult(), published));
                continue;
            }

            if (published.TryGetValue(operation.Id, out NodeOperationResult? done) && done.State != OperationState.Running)
            {
                // Finished by an earlier agent whose operation journal is gone: the status is the record.
                results.Add(done);
                continue;
            }

            if (operation.After is string after && !results.Any(r => r.Id == after && r.State == OperationState.Succeeded))
            {
                // Waits for the operation it follows (requested in the same write, earlier in the list): not run, no
                // result. If that one failed, this one never runs; the operator rolls back and drops both.
                continue;
            }

            if (pass == OperationPass.Window && !IsWindowStep(operation, node.Spec))
            {
                // Left for the full pass after the apply; what is published about it stays published.
                if (done is not null)
                {
                    results.Add(done);
                }

                continue;
            }

            (OperationRecord? record, bool wait) = await RunOneAsync(operation, desired, failedPfs, pass, awaited, syncStartedAt, cancellationToken).ConfigureAwait(false);
            retry |= wait && record is not null;
            if (record is not null)
            {
                results.Add(ResultReports.Keep(record.ToResult(), published));
                finished += record.IsTerminal ? 1 : 0;
            }
        }

        if (pass == OperationPass.Full)
        {
            _journal.Prune(requested, _time.GetUtcNow().UtcDateTime - retention);
            // The window pass's finishes were published before this pass (their status write is their record until now).
            _journal.Flush();
            _stateSources.Retain(awaited);
            _prefetch.Retain(awaited);
            _targetsSuspendedAhead.IntersectWith(requested);
        }

        return new OperationRun(results, retry, finished);
    }

    /// <summary>A critical-section step whose VF the spec still holds for its owner (the journal lock is checked once resolved).</summary>
    private static bool IsWindowStep(NodeOperation operation, V1Alpha1NvmeNode.EntitySpec spec) =>
        operation.Type is NodeOperationType.Suspend or NodeOperationType.SaveState or NodeOperationType.RestoreState or NodeOperationType.Resume
        && spec.PhysicalFunctions?.Any(pf => pf.Secondaries?.Any(s => s.OwnerUid == operation.OwnerUid && s.Role != SecondaryRole.Pool) == true) == true;

    private async Task<(OperationRecord? Record, bool Wait)> RunOneAsync(
        NodeOperation operation, IReadOnlyList<DesiredPf> desired, IReadOnlySet<PciAddress> failedPfs, OperationPass pass,
        List<OperationReference> awaited, DateTime syncStartedAt, CancellationToken cancellationToken)
    {
        OperationRecord? earlier = _journal.Find(operation.Id);
        var running = new OperationRecord
        {
            Id = operation.Id,
            Type = operation.Type,
            VfAddress = operation.VfAddress,
            OwnerUid = operation.OwnerUid,
            State = OperationState.Running,
            StartedAt = earlier?.StartedAt ?? MicroTime.Now(_time),
            SeenAt = earlier?.SeenAt ?? syncStartedAt,
        };
        // Measured on the monotonic clock from here; a record started by an earlier agent ends no sooner than it began.
        long? clock = earlier is null ? _time.GetTimestamp() : null;

        string? expectedSha256 = operation.ExpectedSha256;
        if (operation.Type == NodeOperationType.RestoreState && expectedSha256 is null)
        {
            if (operation.StateFrom is not { } source)
            {
                return (Finish(running, clock, OperationState.Failed, nameof(RefusalReason.InvalidInput),
                    $"operation {operation.Id} (RestoreState) names neither expectedSha256 nor stateFrom"), false);
            }

            // Before anything else: a restore requested ahead of the state usually waits, and waiting costs no hardware read.
            if (operation is { SecretNamespace: { Length: > 0 } secretNamespace, SecretName: { Length: > 0 } secretName })
            {
                _prefetch.Expect(source, secretNamespace, secretName);
            }

            expectedSha256 = StateFromSource(source, awaited);
            if (expectedSha256 is null)
            {
                if (earlier is null && !_targetsSuspendedAhead.Contains(operation.Id))
                {
                    SuspendWaitingTarget(operation, desired, failedPfs);
                }

                return (earlier, false);
            }

            if (earlier is null)
            {
                // Seen when the source's result arrived (which may be after this sync began), started after that.
                running = running with { SeenAt = _stateSources.SeenAt(source) ?? syncStartedAt, StartedAt = MicroTime.Now(_time) };
                clock = _time.GetTimestamp();
            }
        }

        ResolvedVf vf;
        try
        {
            // The window pass takes the VF from its owner's lock in the host journal (no hardware read inside the device
            // downtime); without that lock yet — the apply of this very sync may make it — the full pass runs the step.
            ResolvedVf? found = pass == OperationPass.Window ? _hardware.ResolveLocked(operation, desired) : _hardware.Resolve(operation, desired);
            if (found is null)
            {
                return pass == OperationPass.Window ? (earlier, false) : (Finish(running, clock, OperationState.Failed, nameof(RefusalReason.UnknownDevice),
                    $"no secondary controller of a PF this node's spec manages has VF {operation.VfAddress}"), false);
            }

            vf = found.Value;
        }
        catch (HardwareRefusedException ex)
        {
            return pass == OperationPass.Window ? (earlier, false) : (Finish(running, clock, OperationState.Failed, ex.Reason.ToString(), ex.Message), false);
        }

        if (failedPfs.Contains(vf.Pf))
        {
            // The PF's spec did not apply this round (the lock may be missing for that reason): the next sync runs it.
            return (earlier, false);
        }

        // Staged, not synced: what makes a re-run after a crash harmless is the host journal (synced around every host
        // write) and the steps' own reads of the hardware, not this record; synced, it only kept the first start time
        // (and cost a synced write per window step, 1.6-2.9 ms each on the one-migration demo).
        _journal.Stage(running);
        try
        {
            OperationRecord outcome = await _hardware.ExecuteAsync(operation, vf, running, expectedSha256, cancellationToken).ConfigureAwait(false);
            return (Finish(outcome, clock, OperationState.Succeeded, null, outcome.Message), false);
        }
        catch (HardwareRefusedException ex)
        {
            return (Finish(running, clock, OperationState.Failed, ex.Reason.ToString(), ex.Message), false);
        }
        catch (NvmeCommandException ex)
        {
            return (Finish(running, clock, OperationState.Failed, "NvmeStatus", ex.Message), false);
        }
        catch (StateTransferException ex)
        {
            return (Finish(running, clock, OperationState.Failed, ex.Reason, ex.Message), false);
        }
        catch (NvmeLmException ex)
        {
            return (Finish(running, clock, OperationState.Failed, "HostError", ex.Message), false);
        }
        catch (KubeApiException ex)
        {
            // The API server, not the hardware, failed: the operation stays Running and is retried.
            return (running with { Message = ex.Message }, true);
        }
    }

    /// <summary>
    /// Suspends the idle resume target of a RestoreState that waits for its state, outside the device downtime. Best
    /// effort: a refusal or an NVMe error is logged and left to the RestoreState itself, which suspends the target
    /// again if needed and reports any failure as its own result once the state is there.
    /// </summary>
    private void SuspendWaitingTarget(NodeOperation operation, IReadOnlyList<DesiredPf> desired, IReadOnlySet<PciAddress> failedPfs)
    {
        try
        {
            if (_hardware.SuspendWaitingTarget(operation, desired, failedPfs) is not { } done)
            {
                return; // not bound yet: a later sync tries again
            }

            _targetsSuspendedAhead.Add(operation.Id);
            if (done.Actions.Count > 0)
            {
                AgentLog.TargetSuspendedAhead(_logger, operation.Id, operation.VfAddress);
            }
        }
        catch (NvmeLmException ex)
        {
            _targetsSuspendedAhead.Add(operation.Id);
            AgentLog.TargetSuspendAheadFailed(_logger, operation.Id, operation.VfAddress, ex.Message);
        }
    }

    /// <summary>
    /// The digest a RestoreState requested ahead of the state must verify: what the source agent reported for the
    /// SaveState it names, once Succeeded. Null while there is none yet (the restore waits and the source node is
    /// watched; a failed SaveState leaves it waiting for the operator's rollback).
    /// </summary>
    private string? StateFromSource(OperationReference source, List<OperationReference> awaited)
    {
        awaited.Add(source);
        return _stateSources.Find(source) is { State: OperationState.Succeeded, StateSha256: { Length: > 0 } sha256 } ? sha256 : null;
    }

    private OperationRecord Finish(OperationRecord record, long? clock, OperationState state, string? reason, string? message)
    {
        DateTime finishedAt = clock is { } started
            ? MicroTime.After(record.StartedAt, _time.GetElapsedTime(started))
            : Later(record.StartedAt, MicroTime.Now(_time));
        OperationRecord finished = record with { State = state, Reason = reason, Message = message, FinishedAt = finishedAt };
        // Durable with the next operation's Running record or at the end of the full pass (OperationJournal.Stage).
        _journal.Stage(finished);
        AgentLog.OperationFinished(_logger, finished.Id, finished.Type.ToString(), finished.VfAddress, state.ToString(), message);
        return finished;
    }

    private static DateTime Later(DateTime a, DateTime b) => a >= b ? a : b;
}

using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using StepResult = NvmeLm.Hardware.Steps.StepResult;
using NvmeLm.Kube.Client;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Runs <c>spec.operations</c> (seed step 6, DESIGN §4) at most once each, by id, in spec order, and answers each in
/// <c>status.operationResults</c>. A result already terminal in the operation journal or in the status is reported
/// again, never re-run; a Running record (the agent died mid-operation) is re-run, which the steps make harmless:
/// they re-read the hardware and skip what is already done. Every operation runs for its owner: the steps refuse a
/// secondary that is not locked to that migration. An operation with <c>after</c> runs only once the operation it
/// names has Succeeded earlier in the same list, so two consecutive steps requested in one write run in order.
/// </summary>
public sealed class OperationExecutor
{
    private readonly HostHardware _hardware;
    private readonly SpecApplier _applier;
    private readonly OperationJournal _journal;
    private readonly StateSecretStore _secrets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public OperationExecutor(HostHardware hardware, SpecApplier applier, OperationJournal journal, StateSecretStore secrets, TimeProvider time, ILogger logger)
    {
        _hardware = hardware;
        _applier = applier;
        _journal = journal;
        _secrets = secrets;
        _time = time;
        _logger = logger;
    }

    /// <summary>Results for every requested operation that has one, and whether one must be retried (a transient API error).</summary>
    public async Task<(IReadOnlyList<NodeOperationResult> Results, bool RetryNeeded)> RunAsync(
        V1Alpha1NvmeNode node, IReadOnlyList<DesiredPf> desired, IReadOnlySet<PciAddress> failedPfs, TimeSpan retention, CancellationToken cancellationToken)
    {
        var results = new List<NodeOperationResult>();
        bool retry = false;
        var published = (node.Status?.OperationResults ?? []).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var requested = new HashSet<string>(StringComparer.Ordinal);
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
                results.Add(known.ToResult());
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

            (OperationRecord? record, bool wait) = await RunOneAsync(operation, desired, failedPfs, cancellationToken).ConfigureAwait(false);
            retry |= wait && record is not null;
            if (record is not null)
            {
                results.Add(record.ToResult());
            }
        }

        _journal.Prune(requested, _time.GetUtcNow().UtcDateTime - retention);
        return (results, retry);
    }

    private async Task<(OperationRecord? Record, bool Wait)> RunOneAsync(
        NodeOperation operation, IReadOnlyList<DesiredPf> desired, IReadOnlySet<PciAddress> failedPfs, CancellationToken cancellationToken)
    {
        DateTime started = _journal.Find(operation.Id)?.StartedAt ?? Now();
        var running = new OperationRecord
        {
            Id = operation.Id,
            Type = operation.Type,
            VfAddress = operation.VfAddress,
            OwnerUid = operation.OwnerUid,
            State = OperationState.Running,
            StartedAt = started,
        };

        ResolvedVf vf;
        try
        {
            ResolvedVf? found = Resolve(operation, desired);
            if (found is null)
            {
                return (Finish(running, OperationState.Failed, nameof(RefusalReason.UnknownDevice),
                    $"no secondary controller of a PF this node's spec manages has VF {operation.VfAddress}"), false);
            }

            vf = found.Value;
        }
        catch (HardwareRefusedException ex)
        {
            return (Finish(running, OperationState.Failed, ex.Reason.ToString(), ex.Message), false);
        }

        if (failedPfs.Contains(vf.Pf))
        {
            // The PF's spec did not apply this round (the lock may be missing for that reason): try again next sync
            // rather than fail an operation for a problem the next sync may fix.
            return (_journal.Find(operation.Id), false);
        }

        _journal.Put(running);
        try
        {
            OperationRecord outcome = await ExecuteAsync(operation, vf, running, cancellationToken).ConfigureAwait(false);
            return (Finish(outcome, OperationState.Succeeded, null, outcome.Message), false);
        }
        catch (HardwareRefusedException ex)
        {
            return (Finish(running, OperationState.Failed, ex.Reason.ToString(), ex.Message), false);
        }
        catch (NvmeCommandException ex)
        {
            return (Finish(running, OperationState.Failed, "NvmeStatus", ex.Message), false);
        }
        catch (StateTransferException ex)
        {
            return (Finish(running, OperationState.Failed, ex.Reason, ex.Message), false);
        }
        catch (NvmeLmException ex)
        {
            return (Finish(running, OperationState.Failed, "HostError", ex.Message), false);
        }
        catch (KubeApiException ex)
        {
            // The API server, not the hardware, failed: the operation stays Running and is retried.
            return (running with { Message = ex.Message }, true);
        }
    }

    private async Task<OperationRecord> ExecuteAsync(NodeOperation operation, ResolvedVf vf, OperationRecord running, CancellationToken cancellationToken)
    {
        using StepContext context = _applier.Context(SelectedOnly(vf.Pf), operation.OwnerUid);
        switch (operation.Type)
        {
            case NodeOperationType.Suspend:
                return running with { Message = Summary(new SuspendStep(context).Run(vf.Pf, vf.Scid)) };
            case NodeOperationType.Resume:
                return running with { Message = Summary(new ResumeStep(context).Run(vf.Pf, vf.Scid)) };
            case NodeOperationType.SaveState:
            {
                SaveStateResult saved = new SaveStateStep(context).Run(vf.Pf, vf.Scid);
                ControllerStateBlob blob = saved.State!;
                await _secrets.WriteAsync(SecretNamespace(operation), SecretName(operation), blob.Data, blob.Sha256, cancellationToken).ConfigureAwait(false);
                return running with
                {
                    StateSizeBytes = blob.Length,
                    StateSha256 = blob.Sha256,
                    Message = $"{blob.Length} bytes written to Secret {SecretNamespace(operation)}/{SecretName(operation)}",
                };
            }

            case NodeOperationType.RestoreState:
            {
                byte[] state = await _secrets.ReadAsync(SecretNamespace(operation), SecretName(operation), cancellationToken).ConfigureAwait(false);
                // RestoreStateStep verifies size, header and SHA-256 before its first command.
                StepResult restored = new RestoreStateStep(context).Run(vf.Pf, vf.Scid, state, operation.ExpectedSha256,
                    $"from Secret {SecretNamespace(operation)}/{SecretName(operation)}");
                return running with { StateSizeBytes = state.Length, StateSha256 = ControllerStateBlob.HashOf(state), Message = Summary(restored) };
            }

            case NodeOperationType.Release:
                return running with { Message = $"SCID {vf.Scid}: {SecondaryHandBack.Run(context, vf.Pf, vf.Scid)}" };
            default:
                throw new HardwareRefusedException(RefusalReason.InvalidInput, $"operation type {operation.Type} is not supported by this agent");
        }
    }

    /// <summary>The PF and SCID whose VF is <see cref="NodeOperation.VfAddress"/>, among the PFs the spec manages.</summary>
    private ResolvedVf? Resolve(NodeOperation operation, IReadOnlyList<DesiredPf> desired)
    {
        if (!PciAddress.TryParse(operation.VfAddress, out PciAddress address))
        {
            throw new HardwareRefusedException(RefusalReason.InvalidInput, $"'{operation.VfAddress}' is not a PCI address");
        }

        var sysfs = new SriovSysfs(_hardware.Files);
        foreach (DesiredPf pf in desired)
        {
            SecondaryListResult list = ListSecondariesStep.Map(PfReader.Read(sysfs, pf.Pf), SecondariesOf(sysfs, pf.Pf));
            if (list.Secondaries.FirstOrDefault(s => s.VfAddress == address && s.VfEnabled) is SecondaryMapping m)
            {
                return new ResolvedVf(pf.Pf, m.Scid);
            }
        }

        return null;
    }

    private IReadOnlyList<Hardware.Nvme.Structures.SecondaryController> SecondariesOf(SriovSysfs sysfs, PciAddress pf)
    {
        string? device = sysfs.ReadControllerDevice(pf);
        if (device is null)
        {
            return [];
        }

        using INvmeAdminDevice admin = _hardware.Nvme.Open(device);
        return new NvmeAdminClient(admin).ListSecondaryControllers();
    }

    private static DesiredPf[] SelectedOnly(PciAddress pf) => [new DesiredPf(pf, 0, 0, 0, new Dictionary<int, DesiredSecondary>())];

    private OperationRecord Finish(OperationRecord record, OperationState state, string? reason, string? message)
    {
        OperationRecord finished = record with { State = state, Reason = reason, Message = message, FinishedAt = Now() };
        _journal.Put(finished);
        AgentLog.OperationFinished(_logger, finished.Id, finished.Type.ToString(), finished.VfAddress, state.ToString(), message);
        return finished;
    }

    private static string SecretName(NodeOperation operation) =>
        operation.SecretName ?? throw new HardwareRefusedException(RefusalReason.InvalidInput, $"operation {operation.Id} ({operation.Type}) names no secretName");

    private static string SecretNamespace(NodeOperation operation) =>
        string.IsNullOrEmpty(operation.SecretNamespace)
            ? throw new HardwareRefusedException(RefusalReason.InvalidInput, $"operation {operation.Id} ({operation.Type}) names no secretNamespace")
            : operation.SecretNamespace;

    private static string Summary(StepResult result) =>
        result.Notes.Count > 0 ? string.Join("; ", result.Notes) : string.Join("; ", result.Actions.Select(a => a.Describe()));

    private DateTime Now() => TruncateToSeconds(_time.GetUtcNow());

    // metav1.Time has second precision; a sub-second value would make an unchanged result differ from the server's echo.
    private static DateTime TruncateToSeconds(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}

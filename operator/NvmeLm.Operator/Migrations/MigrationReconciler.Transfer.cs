using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

internal sealed partial class MigrationReconciler
{
    /// <summary>
    /// Suspending (seed step 6): Migration Send Suspend on the source, requested together with the SaveState that
    /// follows it (one NvmeNode write, one agent sync), which the agent runs only once Suspend has succeeded.
    /// </summary>
    private async Task<StepOutcome> SuspendAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var source = migration.Status!.Source!;
        var (_, result, failure) = await RequestAsync(migration, source, NodeOperationType.Suspend, null, cancellationToken, then: NodeOperationType.SaveState)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            return await FailAsync(migration, failure.Value.Reason, failure.Value.Message, cancellationToken).ConfigureAwait(false);
        }

        if (result?.State != OperationState.Succeeded)
        {
            return WaitForAgent(migration);
        }

        var secret = StateSecret.NameFor(migration);
        var stored = await _transitions.MoveAsync(migration, MigrationPhase.Suspending, MigrationPhase.TransferringState, (status, now) =>
        {
            MigrationSteps.Finish(status, StepNames.Suspend, source.Node, StepResult.Succeeded, now, result.Message, result.StartedAt, result.FinishedAt);
            MigrationSteps.Start(status, StepNames.SaveState, source.Node, now);
        }, $"source suspended; moving the controller state through Secret {secret}", cancellationToken).ConfigureAwait(false);
        return Next(stored);
    }

    /// <summary>
    /// TransferringState: create the owned state Secret, SaveState on the source, check size and SHA-256 of
    /// what landed in the Secret, then RestoreState on the destination with the expected digest.
    /// </summary>
    private async Task<StepOutcome> TransferStateAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var source = migration.Status!.Source!;
        var destination = migration.Status.Destination!;
        var uid = migration.Metadata.Uid!;
        var restoreId = OperationIds.For(uid, OperationIds.RestoreState);
        var restoreRequested = _nodes.Cached(destination.Node) is { } cachedDestination && NodeSpecEditor.HasOperation(cachedDestination, restoreId);
        NodeOperationResult? save;
        if (!restoreRequested)
        {
            var saved = await RequestAsync(migration, source, NodeOperationType.SaveState, null, cancellationToken).ConfigureAwait(false);
            if (saved.Failure is { } saveFailure)
            {
                return await FailAsync(migration, saveFailure.Reason, saveFailure.Message, cancellationToken).ConfigureAwait(false);
            }

            if (saved.Result?.State != OperationState.Succeeded)
            {
                return WaitForAgent(migration);
            }

            save = saved.Result;
            if (await VerifySavedStateAsync(migration, save, cancellationToken).ConfigureAwait(false) is { } stateProblem)
            {
                return await FailAsync(migration, stateProblem.Reason, stateProblem.Message, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            save = NodeInventory.FindResult(_nodes.Cached(source.Node), OperationIds.For(uid, OperationIds.SaveState));
        }

        if (!restoreRequested && OccupiedDestinations(migration).Contains(destination.VfAddress!))
        {
            // Last guard before the destructive step: never write state into a VF a pod has or another migration names as its source.
            return await FailAsync(migration, FailureReasons.DestinationInUse,
                $"VF {destination.VfAddress} on {destination.Node} is in use (allocated to a pod, or the source of another NvmeMigration); its controller is not overwritten.",
                cancellationToken).ConfigureAwait(false);
        }

        var expected = save?.StateSha256 ?? _nodes.Cached(destination.Node)?.Spec.Operations?.FirstOrDefault(o => o.Id == restoreId)?.ExpectedSha256;
        // Resume follows in the same write; the agent runs it only once RestoreState has succeeded.
        var restored = await RequestAsync(migration, destination, NodeOperationType.RestoreState, expected, cancellationToken, then: NodeOperationType.Resume)
            .ConfigureAwait(false);
        if (restored.Failure is { } restoreFailure)
        {
            return await FailAsync(migration, restoreFailure.Reason, restoreFailure.Message, cancellationToken, (status, now) =>
            {
                FinishSaveState(status, source.Node, save, now);
                MigrationSteps.Start(status, StepNames.RestoreState, destination.Node, restored.Result?.StartedAt ?? now);
            }).ConfigureAwait(false);
        }

        if (restored.Result?.State != OperationState.Succeeded)
        {
            return WaitForAgent(migration);
        }

        var restore = restored.Result;
        var stored = await _transitions.MoveAsync(migration, MigrationPhase.TransferringState, MigrationPhase.Resuming, (status, now) =>
        {
            FinishSaveState(status, source.Node, save, now);
            MigrationSteps.Finish(status, StepNames.RestoreState, destination.Node, StepResult.Succeeded, now,
                restore.Message ?? "digest verified", restore.StartedAt, restore.FinishedAt);
            MigrationSteps.Start(status, StepNames.Resume, destination.Node, now);
            status.StateSizeBytes = save?.StateSizeBytes;
            status.StateSha256 = save?.StateSha256 ?? expected;
            SetCondition(status, MigrationConditions.StateTransferred, "True", "StateRestored",
                $"{save?.StateSizeBytes} bytes of controller state, sha256 {status.StateSha256}, restored on {destination.Node}.", migration, now);
        }, $"state restored on {destination.Node}; resuming VF {destination.VfAddress}", cancellationToken).ConfigureAwait(false);
        return Next(stored);
    }

    private static void FinishSaveState(V1Alpha1NvmeMigration.EntityStatus status, string node, NodeOperationResult? save, DateTime now) =>
        MigrationSteps.Finish(status, StepNames.SaveState, node, StepResult.Succeeded, now,
            $"{save?.StateSizeBytes} bytes, sha256 {save?.StateSha256}", save?.StartedAt, save?.FinishedAt);

    /// <summary>Resuming (seed step 6, destination): Migration Send Resume on the destination VF.</summary>
    private async Task<StepOutcome> ResumeAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var destination = migration.Status!.Destination!;
        var source = migration.Status.Source!;
        var (_, result, failure) = await RequestAsync(migration, destination, NodeOperationType.Resume, null, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return await FailAsync(migration, failure.Value.Reason, failure.Value.Message, cancellationToken).ConfigureAwait(false);
        }

        if (result?.State != OperationState.Succeeded)
        {
            return WaitForAgent(migration);
        }

        var stored = await _transitions.MoveAsync(migration, MigrationPhase.Resuming, MigrationPhase.Completing, (status, now) =>
        {
            MigrationSteps.Finish(status, StepNames.Resume, destination.Node, StepResult.Succeeded, now, result.Message, result.StartedAt, result.FinishedAt);
            MigrationSteps.Start(status, StepNames.ReleaseSource, source.Node, now);
            MigrationSteps.Start(status, StepNames.ReleaseDestination, destination.Node, now);
            SetCondition(status, MigrationConditions.Migrated, "True", "Resumed",
                $"The controller runs on VF {destination.VfAddress} of {destination.Node}.", migration, now);
        }, $"resumed on {destination.Node}; releasing both VFs to their pools", cancellationToken).ConfigureAwait(false);
        return Next(stored);
    }

    /// <summary>
    /// Requests one forward operation (idempotent by its id), and with <paramref name="then"/> the next one in the same
    /// write, to run after it; returns the agent's result of the first. A Failed result, or a VF no longer held so the
    /// request cannot be made, is a failure with a reason.
    /// </summary>
    private async Task<(V1Alpha1NvmeNode? Node, NodeOperationResult? Result, (string Reason, string Message)? Failure)> RequestAsync(
        V1Alpha1NvmeMigration migration, ResolvedEndpoint endpoint, NodeOperationType type, string? expectedSha256, CancellationToken cancellationToken,
        NodeOperationType? then = null)
    {
        var operation = Operation(migration, endpoint, type, expectedSha256, after: null, _context.Options.StateNamespace);
        NodeOperation[] operations = then is { } next ? [operation, Operation(migration, endpoint, next, null, after: operation.Id, _context.Options.StateNamespace)] : [operation];
        var (node, requested) = await _nodes.EnsureOperationsAsync(endpoint, operations, cancellationToken).ConfigureAwait(false);
        var failureReason = FailureReasonOf(type);
        if (node is null)
        {
            return (null, null, (FailureReasons.NodeGone, $"NvmeNode {endpoint.Node} disappeared."));
        }

        if (!requested)
        {
            return (node, null, (failureReason, $"VF {endpoint.VfAddress} on {endpoint.Node} is no longer held by this migration; {type} was not requested."));
        }

        var result = NodeInventory.FindResult(node, operation.Id);
        if (result?.State == OperationState.Failed)
        {
            return (node, result, (failureReason, $"{type} on {endpoint.Node} VF {endpoint.VfAddress} failed: {result.Reason}: {result.Message}"));
        }

        return (node, result, null);
    }

    private static NodeOperation Operation(
        V1Alpha1NvmeMigration migration, ResolvedEndpoint endpoint, NodeOperationType type, string? expectedSha256, string? after, string? stateNamespace)
    {
        var uid = migration.Metadata.Uid!;
        var operation = new NodeOperation
        {
            Id = OperationIds.For(uid, OperationIds.StepOf(type)),
            Type = type,
            VfAddress = endpoint.VfAddress!,
            OwnerUid = uid,
            After = after,
        };
        if (type is NodeOperationType.SaveState or NodeOperationType.RestoreState)
        {
            var secret = StateSecret.Locate(migration, stateNamespace);
            operation.SecretName = secret.Name;
            operation.SecretNamespace = secret.Namespace;
            operation.ExpectedSha256 = type == NodeOperationType.RestoreState ? expectedSha256 : null;
        }

        return operation;
    }

    private static string FailureReasonOf(NodeOperationType type) => type switch
    {
        NodeOperationType.Suspend => FailureReasons.SuspendFailed,
        NodeOperationType.SaveState => FailureReasons.SaveStateFailed,
        NodeOperationType.RestoreState => FailureReasons.RestoreStateFailed,
        _ => FailureReasons.ResumeFailed,
    };

    /// <summary>
    /// Creates the empty state Secret owned by the migration (before Suspend is requested, so it is there when
    /// SaveState runs); a message when a foreign one is in the way. Runs once per migration unless the operator
    /// stops between the create and the phase write (then the repeat meets 409 AlreadyExists, which is fine).
    /// </summary>
    private async Task<string?> EnsureSecretAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        try
        {
            await _context.Secrets.CreateAsync(StateSecret.Create(migration, _context.Options.StateNamespace), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            var existing = await _context.Secrets.TryGetAsync(StateSecret.Locate(migration, _context.Options.StateNamespace), cancellationToken)
                .ConfigureAwait(false);
            return existing is null || StateSecret.IsOwnedBy(existing, migration)
                ? null
                : $"Secret {StateSecret.NameFor(migration)} exists and is not owned by this NvmeMigration.";
        }
    }

    /// <summary>Checks what the source agent reported and what the Secret holds: size cap, digest, length.</summary>
    private async Task<(string Reason, string Message)?> VerifySavedStateAsync(
        V1Alpha1NvmeMigration migration, NodeOperationResult save, CancellationToken cancellationToken)
    {
        if (save.StateSizeBytes > StateSecret.MaxStateBytes)
        {
            return (FailureReasons.StateTooLarge, $"The controller state is {save.StateSizeBytes} bytes; at most {StateSecret.MaxStateBytes} fit in a Secret.");
        }

        if (string.IsNullOrEmpty(save.StateSha256))
        {
            return (FailureReasons.SaveStateFailed, "SaveState succeeded without reporting stateSha256.");
        }

        var secret = await _context.Secrets.TryGetAsync(StateSecret.Locate(migration, _context.Options.StateNamespace), cancellationToken)
            .ConfigureAwait(false);
        var data = secret?.Data is { } d && d.TryGetValue(StateSecret.DataKey, out var bytes) ? bytes : null;
        if (data is null)
        {
            return (FailureReasons.StateDigestMismatch, $"Secret {StateSecret.NameFor(migration)} holds no '{StateSecret.DataKey}' after SaveState.");
        }

        var digest = StateSecret.Sha256Hex(data);
        if (digest != save.StateSha256 || (save.StateSizeBytes is { } size && size != data.Length))
        {
            return (FailureReasons.StateDigestMismatch,
                $"Secret holds {data.Length} bytes with sha256 {digest}; the source agent reported {save.StateSizeBytes} bytes with sha256 {save.StateSha256}.");
        }

        return null;
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

internal sealed partial class MigrationReconciler
{
    /// <summary>
    /// RollingBack: release the destination reservation; on the source, if a Suspend was ever requested, first
    /// Resume it (operation <c>&lt;uid&gt;-rollback-resume</c>; a resume of a running controller is a no-op for the
    /// agent), then release the lock. Ends Failed once both agents report the VFs no longer held. If the
    /// source cannot be resumed the lock is kept (Failed, Degraded SourceResumeFailed) so nobody else takes a
    /// VF whose VM state is still suspended in it. Rollback has its own deadline (timeoutSeconds again).
    /// </summary>
    private async Task<StepOutcome> RollBackAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var uid = migration.Metadata.Uid!;
        var source = migration.Status?.Source;
        var destination = migration.Status?.Destination;

        V1Alpha1NvmeNode? destinationNode = null;
        if (destination is not null)
        {
            destinationNode = await _nodes.ReleaseAsync(destination.Node, uid, cancellationToken).ConfigureAwait(false);
        }

        V1Alpha1NvmeNode? sourceNode = null;
        if (source is not null)
        {
            sourceNode = await _nodes.GetFreshAsync(source.Node, cancellationToken).ConfigureAwait(false);
            var suspendRequested = sourceNode is not null && NodeSpecEditor.HasOperation(sourceNode, OperationIds.For(uid, OperationIds.Suspend));
            if (sourceNode is not null && suspendRequested && NodeSpecEditor.IsHeldBy(sourceNode, source.PfAddress, source.VfNumber, uid))
            {
                var resumeId = OperationIds.For(uid, OperationIds.RollbackResume);
                var (node, requested) = await _nodes.EnsureOperationAsync(source, new NodeOperation
                {
                    Id = resumeId,
                    Type = NodeOperationType.Resume,
                    VfAddress = source.VfAddress!,
                    OwnerUid = uid,
                }, cancellationToken).ConfigureAwait(false);
                sourceNode = node;
                var result = NodeInventory.FindResult(node, resumeId);
                if (requested && result?.State == OperationState.Failed)
                {
                    return await FinishRollbackAsync(migration, FailureReasons.SourceResumeFailed,
                        $"Resuming source VF {source.VfAddress} on {source.Node} failed ({result.Reason}: {result.Message}); "
                        + "the VF stays locked as MigrationSource for manual recovery; delete the NvmeMigration to release it.",
                        degraded: true, cancellationToken).ConfigureAwait(false);
                }

                if (requested && result?.State != OperationState.Succeeded)
                {
                    return await WaitOrGiveUpAsync(migration, cancellationToken).ConfigureAwait(false);
                }
            }

            if (sourceNode is not null)
            {
                sourceNode = await _nodes.ReleaseAsync(source.Node, uid, cancellationToken).ConfigureAwait(false);
            }
        }

        var released = NodeInventory.IsReleasedBy(sourceNode, source?.VfAddress, uid)
            && NodeInventory.IsReleasedBy(destinationNode, destination?.VfAddress, uid);
        if (!released)
        {
            return await WaitOrGiveUpAsync(migration, cancellationToken).ConfigureAwait(false);
        }

        return await FinishRollbackAsync(migration, migration.Status?.FailureReason ?? FailureReasons.RollbackIncomplete,
            "Rolled back: the source runs where it was and both VFs are back in their pools.", degraded: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the agents, unless the rollback deadline passed: then Failed with Degraded RollbackIncomplete.</summary>
    private async Task<StepOutcome> WaitOrGiveUpAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var started = MigrationSteps.RollbackStartedAt(migration.Status);
        var deadline = started is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc).AddSeconds(migration.Spec.TimeoutSeconds) : (DateTime?)null;
        if (deadline is { } d && _context.Time.GetUtcNow().UtcDateTime >= d)
        {
            return await FinishRollbackAsync(migration, FailureReasons.RollbackIncomplete,
                $"The agents did not confirm the rollback within {migration.Spec.TimeoutSeconds} s. What was requested stays in the NvmeNode specs "
                + "(a pending source resume included) for the agents to finish when they return; the source VF stays locked until this "
                + "NvmeMigration is deleted.", degraded: true, cancellationToken).ConfigureAwait(false);
        }

        return WaitForAgent(migration, deadline);
    }

    private async Task<StepOutcome> FinishRollbackAsync(
        V1Alpha1NvmeMigration migration, string reason, string message, bool degraded, CancellationToken cancellationToken)
    {
        var source = migration.Status?.Source;
        var destination = migration.Status?.Destination;
        var original = migration.Status?.FailureReason ?? reason;
        var stored = await _transitions.MoveAsync(migration, MigrationPhase.RollingBack, MigrationPhase.Failed, (status, now) =>
        {
            MigrationSteps.Finish(status, StepNames.RollbackReleaseDestination, destination?.Node, StepResult.Succeeded, now);
            if (status.Steps?.Any(s => s.Name == StepNames.RollbackResumeSource && s.Result == StepResult.Running) == true)
            {
                MigrationSteps.Finish(status, StepNames.RollbackResumeSource, source?.Node, degraded ? StepResult.Failed : StepResult.Succeeded, now,
                    degraded ? message : null);
            }

            if (status.Steps?.Any(s => s.Name == StepNames.RollbackReleaseSource && s.Result == StepResult.Running) == true)
            {
                MigrationSteps.Finish(status, StepNames.RollbackReleaseSource, source?.Node, degraded ? StepResult.Skipped : StepResult.Succeeded, now);
            }

            if (!degraded)
            {
                // The forward steps' effects are undone now; say so in the timeline.
                foreach (var step in status.Steps?.Where(s => s.Result == StepResult.Succeeded && !s.Name.StartsWith("Rollback", StringComparison.Ordinal)) ?? [])
                {
                    step.Result = StepResult.RolledBack;
                }
            }

            status.FailureReason = degraded ? reason : original;
            status.CompletionTime = now;
            SetCondition(status, MigrationConditions.Ready, "False", status.FailureReason, message, migration, now);
            SetCondition(status, MigrationConditions.Degraded, degraded ? "True" : "False", degraded ? reason : "RolledBack", message, migration, now);
            foreach (var type in new[] { MigrationConditions.DestinationPrepared, MigrationConditions.SourcePrepared })
            {
                if (NvmeLm.Kube.Resources.Conditions.IsTrue(status.Conditions, type))
                {
                    SetCondition(status, type, "False", "RolledBack", "Released during rollback.", migration, now);
                }
            }
        }, $"{original}: {message}", cancellationToken).ConfigureAwait(false);
        if (stored is not null && MigrationPhases.Of(stored) == MigrationPhase.Failed)
        {
            await CleanUpAsync(stored, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Done;
        }

        return Next(stored);
    }
}

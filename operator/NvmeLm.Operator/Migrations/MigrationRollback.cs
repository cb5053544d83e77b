using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// RollingBack. If a Suspend may have been requested, the commit point is settled first
/// (<see cref="IStateTransfer.DisarmAsync"/>, step RollbackDisarmDestination, whose result records the decision): a
/// destination that already resumed means the migration is committed, and it rolls forward to Completing instead;
/// otherwise the destination is confirmed never to resume. Only then is the
/// source resumed (operation <c>&lt;uid&gt;-rollback-resume</c>; a no-op on a running controller), and both VFs are
/// released. Ends Failed once both agents report the VFs no longer held. A source that cannot be resumed stays locked
/// (Failed, Degraded SourceResumeFailed), and so does one whose destination never confirmed (RollbackIncomplete): nobody
/// else may take a VF whose VM state is still suspended in it. Rollback has its own deadline (timeoutSeconds again).
/// </summary>
internal sealed class MigrationRollback(
    MigrationTransitions transitions, NodeWriter nodes, MigrationClock clock, IStateTransfer transfer, MigrationSettlement settlement)
{
    public async Task<StepOutcome> RollBackAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var uid = migration.Metadata.Uid!;
        var source = migration.Status?.Source;
        var destination = migration.Status?.Destination;
        var suspendRequested = MigrationSteps.SuspendRequested(migration.Status);
        if (MigrationSteps.IsRunning(migration.Status, StepNames.RollbackDisarmDestination) && source is not null && destination is not null)
        {
            var check = await transfer.DisarmAsync(migration, cancellationToken).ConfigureAwait(false);
            switch (check.State)
            {
                case CommitState.Unknown:
                    return await WaitOrGiveUpAsync(migration, $"The agent on {destination.Node} did not confirm that it let go of VF {destination.VfAddress}, "
                        + "so it may still resume the controller there: the source VF stays suspended and locked", cancellationToken, destinationReleased: false)
                        .ConfigureAwait(false);
                case CommitState.Committed:
                    return await RollForwardAsync(migration, check.Progress, cancellationToken).ConfigureAwait(false);
            }

            // Decided: recorded before the destination's operations (and with them its results) are released.
            var decided = await transitions.UpdateInPhaseAsync(migration, MigrationPhase.RollingBack, (status, now, _) =>
            {
                MigrationSteps.Settle(status, StepNames.RollbackDisarmDestination, StepResult.Succeeded, now.UtcDateTime,
                    $"VF {destination.VfAddress} on {destination.Node} did not resume and no longer can");
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return StepOutcome.From(decided);
        }

        V1Alpha1NvmeNode? destinationNode = null;
        if (destination is not null)
        {
            destinationNode = await nodes.ReleaseAsync(destination.Node, uid, cancellationToken).ConfigureAwait(false);
        }

        V1Alpha1NvmeNode? sourceNode = null;
        if (source is not null)
        {
            sourceNode = await nodes.GetFreshAsync(source.Node, cancellationToken).ConfigureAwait(false);
            if (sourceNode is not null && suspendRequested && NodeSpecEditor.IsHeldBy(sourceNode, source.PfAddress, source.VfNumber, uid))
            {
                var resumeId = OperationIds.For(uid, OperationIds.RollbackResume);
                var (node, requested) = await nodes.EnsureOperationsAsync(source,
                    [OperationRequests.Build(migration, source, NodeOperationType.Resume, OperationIds.RollbackResume)], cancellationToken).ConfigureAwait(false);
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
                    return await WaitOrGiveUpAsync(migration, "What was requested stays in the NvmeNode specs (a pending source resume included) "
                        + "for the agents to finish when they return; the source VF stays locked", cancellationToken).ConfigureAwait(false);
                }

                if (result is not null && MigrationSteps.IsRunning(migration.Status, StepNames.RollbackResumeSource))
                {
                    // Recorded before the release drops the results from the agent's status: the step's times and the downtime.
                    var suspend = NodeInventory.FindResult(node, OperationIds.For(uid, OperationIds.Suspend));
                    var recorded = await transitions.UpdateInPhaseAsync(migration, MigrationPhase.RollingBack, (status, now, _) =>
                    {
                        MigrationSteps.FinishFromAgent(status, StepNames.RollbackResumeSource, source.Node, result, now.UtcDateTime);
                        if (suspend is { State: OperationState.Succeeded, StartedAt: { } suspendedAt })
                        {
                            status.Downtime ??= new DeviceDowntime();
                            status.Downtime.SuspendedAt ??= suspendedAt;
                        }

                        DowntimeRecord.Resumed(status, result, source.Node, now.UtcDateTime);
                        return true;
                    }, cancellationToken).ConfigureAwait(false);
                    return StepOutcome.From(recorded);
                }
            }

            if (sourceNode is not null)
            {
                sourceNode = await nodes.ReleaseAsync(source.Node, uid, cancellationToken).ConfigureAwait(false);
            }
        }

        var released = NodeInventory.IsReleasedBy(sourceNode, source?.VfAddress, uid)
            && NodeInventory.IsReleasedBy(destinationNode, destination?.VfAddress, uid);
        if (!released)
        {
            return await WaitOrGiveUpAsync(migration, "What was requested stays in the NvmeNode specs for the agents to finish when they return; "
                + "the source VF stays locked", cancellationToken).ConfigureAwait(false);
        }

        return await FinishRollbackAsync(migration, migration.Status?.FailureReason ?? FailureReasons.RollbackIncomplete,
            "Rolled back: the source runs where it was and both VFs are back in their pools.", degraded: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The destination resumed before the rollback could stop it: the commit point was passed, so the failure came too
    /// late to undo anything. The migration goes on to Completing (release both VFs) with the true timeline.
    /// </summary>
    private async Task<StepOutcome> RollForwardAsync(V1Alpha1NvmeMigration migration, WindowProgress progress, CancellationToken cancellationToken)
    {
        var failure = migration.Status?.FailureReason;
        var stored = await transitions.MoveAsync(migration, MigrationPhase.RollingBack, MigrationPhase.Completing, (status, now) =>
        {
            foreach (var name in new[] { StepNames.Suspend, StepNames.SaveState, StepNames.RestoreState, StepNames.Resume })
            {
                status.Steps = status.Steps?.Where(s => !(s.Name == name && s.Result == StepResult.Failed)).ToList();
            }

            progress.Record(status, now);
            foreach (var name in new[] { StepNames.RollbackDisarmDestination, StepNames.RollbackResumeSource, StepNames.RollbackReleaseSource, StepNames.RollbackReleaseDestination })
            {
                MigrationSteps.Settle(status, name, StepResult.Skipped, now, $"not needed: the destination had resumed (committed) before {failure} could stop it");
            }

            status.FailureReason = null;
            CriticalSection.Commit(status, migration, progress, now);
            // The timeline in the order things happened: forward steps, the rollback that was called off, the releases.
            status.Steps = status.Steps?.OrderBy(s => s.Name.StartsWith("Rollback", StringComparison.Ordinal) ? 1
                : s.Name is StepNames.ReleaseSource or StepNames.ReleaseDestination ? 2 : 0).ToList();
        }, $"the destination resumed before {failure} could stop it: committed, rolling forward", cancellationToken).ConfigureAwait(false);
        return StepOutcome.From(stored);
    }

    /// <summary>Waits for the agents, unless the rollback deadline passed: then Failed with Degraded RollbackIncomplete.</summary>
    private async Task<StepOutcome> WaitOrGiveUpAsync(
        V1Alpha1NvmeMigration migration, string whatStays, CancellationToken cancellationToken, bool destinationReleased = true)
    {
        var started = MigrationSteps.RollbackStartedAt(migration.Status);
        var deadline = started is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc).AddSeconds(migration.Spec.TimeoutSeconds) : (DateTime?)null;
        if (clock.IsPast(deadline))
        {
            return await FinishRollbackAsync(migration, FailureReasons.RollbackIncomplete,
                $"The agents did not confirm the rollback within {migration.Spec.TimeoutSeconds} s. {whatStays} until this NvmeMigration is deleted.",
                degraded: true, cancellationToken, destinationReleased).ConfigureAwait(false);
        }

        return clock.WaitForAgent(migration, deadline);
    }

    private async Task<StepOutcome> FinishRollbackAsync(
        V1Alpha1NvmeMigration migration, string reason, string message, bool degraded, CancellationToken cancellationToken, bool destinationReleased = true)
    {
        var source = migration.Status?.Source;
        var destination = migration.Status?.Destination;
        var original = migration.Status?.FailureReason ?? reason;
        var stored = await transitions.MoveAsync(migration, MigrationPhase.RollingBack, MigrationPhase.Failed, (status, now) =>
        {
            MigrationSteps.Finish(status, StepNames.RollbackReleaseDestination, destination?.Node,
                destinationReleased ? StepResult.Succeeded : StepResult.Failed, now, destinationReleased ? null : message);
            MigrationSteps.Settle(status, StepNames.RollbackDisarmDestination, degraded ? StepResult.Failed : StepResult.Succeeded, now, degraded ? message : null);
            MigrationSteps.Settle(status, StepNames.RollbackResumeSource, degraded ? StepResult.Failed : StepResult.Succeeded, now, degraded ? message : null);
            MigrationSteps.Settle(status, StepNames.RollbackReleaseSource, degraded ? StepResult.Skipped : StepResult.Succeeded, now);
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
            MigrationConditions.Set(status, MigrationConditions.Ready, "False", status.FailureReason, message, migration, now);
            MigrationConditions.Set(status, MigrationConditions.Degraded, degraded ? "True" : "False", degraded ? reason : "RolledBack", message, migration, now);
            foreach (var type in new[] { MigrationConditions.DestinationPrepared, MigrationConditions.SourcePrepared })
            {
                if (NvmeLm.Kube.Resources.Conditions.IsTrue(status.Conditions, type))
                {
                    MigrationConditions.Set(status, type, "False", "RolledBack", "Released during rollback.", migration, now);
                }
            }
        }, $"{original}: {message}", cancellationToken).ConfigureAwait(false);
        if (stored is not null && MigrationPhases.Of(stored) == MigrationPhase.Failed)
        {
            await settlement.CleanUpAsync(stored, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Done;
        }

        return StepOutcome.From(stored);
    }
}

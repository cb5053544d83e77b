using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Operator.Logging;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Fails the transaction: straight to Failed while nothing was requested of an agent, otherwise to RollingBack, where
/// <see cref="MigrationRollback"/> first settles the commit point (a destination that already resumed rolls forward),
/// then resumes the source if it may be suspended and releases both VFs. A migration inside its critical section gives
/// its slot in the <see cref="CriticalSectionGate"/> back here.
/// </summary>
internal sealed class MigrationFailure(MigrationContext context, MigrationTransitions transitions)
{
    /// <param name="recordSteps">
    /// Brings the timeline up to the failed step first when the step ran without a status write of its own (an agent
    /// step inside the window), so the step marked failed is the one that failed, with its agent's times.
    /// </param>
    public async Task<StepOutcome> FailAsync(
        V1Alpha1NvmeMigration migration, FailureCause cause, CancellationToken cancellationToken,
        Action<V1Alpha1NvmeMigration.EntityStatus, DateTime>? recordSteps = null)
    {
        var (reason, message) = (cause.Reason, cause.Message);
        var phase = MigrationPhases.Of(migration);
        context.Logger.MigrationFailed(NamespacedName.Of(migration), phase, reason, message);
        if (!MigrationPhases.CanRollBack(phase))
        {
            var failed = await transitions.MoveAsync(migration, phase, MigrationPhase.Failed, (status, now) =>
            {
                status.FailureReason = reason;
                status.CompletionTime = now;
                MigrationConditions.Set(status, MigrationConditions.Ready, "False", reason, message, migration, now);
                MigrationConditions.Set(status, MigrationConditions.Degraded, "False", "NothingChanged", "No hardware action was requested.", migration, now);
            }, $"{reason}: {message}", cancellationToken).ConfigureAwait(false);
            return StepOutcome.From(failed);
        }

        var source = migration.Status?.Source;
        var destination = migration.Status?.Destination;
        var stored = await transitions.MoveAsync(migration, phase, MigrationPhase.RollingBack, (status, now) =>
        {
            status.FailureReason = reason;
            recordSteps?.Invoke(status, now);
            MigrationSteps.FailRunning(status, $"{reason}: {message}", now);
            if (MigrationSteps.SuspendRequested(status))
            {
                // The destination is armed: it must be known never to resume before the source may be (DESIGN §4.1).
                MigrationSteps.Start(status, StepNames.RollbackDisarmDestination, destination?.Node, now);
                MigrationSteps.Start(status, StepNames.RollbackResumeSource, source?.Node, now);
            }
            else if (MigrationSteps.VmimRequested(status))
            {
                // Vmm: KubeVirt may still move the VM; it must be known not to (VMIM final or gone) before both ends are released.
                MigrationSteps.Start(status, StepNames.RollbackDisarmDestination, destination?.Node, now);
            }

            if (phase != MigrationPhase.PreparingDestination)
            {
                MigrationSteps.Start(status, StepNames.RollbackReleaseSource, source?.Node, now);
            }

            MigrationSteps.Start(status, StepNames.RollbackReleaseDestination, destination?.Node, now);
            MigrationConditions.Set(status, MigrationConditions.Degraded, "True", reason, message, migration, now);
        }, $"{reason}: {message}; rolling back", cancellationToken).ConfigureAwait(false);
        if (CriticalSectionGate.IsInside(phase) && stored is not null && MigrationPhases.Of(stored) != phase)
        {
            context.Gate.Leave(migration.Metadata.Uid!);
        }

        return StepOutcome.From(stored);
    }
}

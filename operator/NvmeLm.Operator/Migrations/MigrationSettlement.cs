using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Succeeded / Failed: nothing runs any more. The state Secret goes, and the finalizer, unless rollback had to keep the
/// source locked (<see cref="FailureReasons.KeepsSourceLocked"/>); deleting such a migration releases the lock first.
/// </summary>
internal sealed class MigrationSettlement(MigrationContext context, NodeWriter nodes, StateSecretWriter secrets)
{
    public async Task<StepOutcome> SettleAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        if (!Finalizers.Has(migration, MigrationConditions.Finalizer))
        {
            return StepOutcome.Done;
        }

        var keepsLock = FailureReasons.KeepsSourceLocked(migration.Status?.FailureReason);
        if (keepsLock && !Finalizers.IsBeingDeleted(migration))
        {
            return StepOutcome.Done;
        }

        if (keepsLock)
        {
            foreach (var node in new[] { migration.Status?.Source?.Node, migration.Status?.Destination?.Node }.OfType<string>().Distinct())
            {
                await nodes.ReleaseAsync(node, migration.Metadata.Uid!, cancellationToken).ConfigureAwait(false);
            }
        }

        await RemoveFinalizerAsync(migration, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Done;
    }

    /// <summary>Right after Succeeded or a settled Failed: delete the state Secret and drop the finalizer.</summary>
    public async Task CleanUpAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        await secrets.DeleteAsync(migration, cancellationToken).ConfigureAwait(false);
        if (!FailureReasons.KeepsSourceLocked(migration.Status?.FailureReason) || Finalizers.IsBeingDeleted(migration))
        {
            await RemoveFinalizerAsync(migration, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RemoveFinalizerAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        if (Finalizers.Has(migration, MigrationConditions.Finalizer))
        {
            // From this reconcile's copy (no GET), and recorded as the operator's own write: a reconcile its watch event
            // triggers must not take the informer's older copy, which still has the finalizer, for the latest (OwnWrites).
            context.OwnWrites.Written(await context.Migrations.RemoveFinalizerAsync(migration, MigrationConditions.Finalizer, cancellationToken)
                .ConfigureAwait(false));
        }

        context.Metrics.Forget(migration.Metadata.Uid ?? "");
    }
}

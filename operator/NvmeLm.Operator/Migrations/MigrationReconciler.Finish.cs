using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Resources;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

internal sealed partial class MigrationReconciler
{
    /// <summary>
    /// Completing: the controller already runs on the destination, so this phase never rolls back (and has no
    /// deadline): return both VFs to their pools and drop this migration's operations (one spec write per
    /// node), then wait until both agents report the VFs no longer held.
    /// </summary>
    private async Task<StepOutcome> CompleteAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var uid = migration.Metadata.Uid!;
        var source = migration.Status!.Source!;
        var destination = migration.Status.Destination!;
        var sourceNode = await ReleaseUnlessCachedReleasedAsync(source.Node, uid, cancellationToken).ConfigureAwait(false);
        var destinationNode = source.Node == destination.Node
            ? sourceNode
            : await ReleaseUnlessCachedReleasedAsync(destination.Node, uid, cancellationToken).ConfigureAwait(false);
        if (!NodeInventory.IsReleasedBy(sourceNode, source.VfAddress, uid) || !NodeInventory.IsReleasedBy(destinationNode, destination.VfAddress, uid))
        {
            return new StepOutcome.Wait(_context.Options.PollInterval);
        }

        var stored = await _transitions.MoveAsync(migration, MigrationPhase.Completing, MigrationPhase.Succeeded, (status, now) =>
        {
            MigrationSteps.Finish(status, StepNames.ReleaseSource, source.Node, StepResult.Succeeded, now, $"VF {source.VfAddress} back in its pool");
            MigrationSteps.Finish(status, StepNames.ReleaseDestination, destination.Node, StepResult.Succeeded, now, $"VF {destination.VfAddress} handed over");
            status.CompletionTime = now;
        }, $"VF {source.VfAddress} of {source.Node} now runs as VF {destination.VfAddress} of {destination.Node}", cancellationToken)
            .ConfigureAwait(false);
        if (stored is not null && MigrationPhases.Of(stored) == MigrationPhase.Succeeded)
        {
            await CleanUpAsync(stored, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Done;
        }

        return Next(stored);
    }

    /// <summary>
    /// Releases the migration's holds on <paramref name="node"/> unless the cache already shows none. Safe only
    /// once the agent has reported the holds (Completing): the cache then is at least as new as the writes that
    /// made them, so "no hold in the cache" cannot be a cache that has not seen them yet. Saves a read per wake-up.
    /// </summary>
    private async Task<V1Alpha1NvmeNode?> ReleaseUnlessCachedReleasedAsync(string node, string uid, CancellationToken cancellationToken)
    {
        if (_nodes.Cached(node) is { } cached && !NodeSpecEditor.References(cached, uid))
        {
            return cached;
        }

        return await _nodes.ReleaseAsync(node, uid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Succeeded / Failed: nothing runs any more. The finalizer goes unless rollback had to keep the source
    /// locked (<see cref="FailureReasons.KeepsSourceLocked"/>); deleting such a migration releases the lock first.
    /// </summary>
    private async Task<StepOutcome> SettleTerminalAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
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
                await _nodes.ReleaseAsync(node, migration.Metadata.Uid!, cancellationToken).ConfigureAwait(false);
            }
        }

        await RemoveFinalizerAsync(migration, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Done;
    }

    /// <summary>
    /// After Succeeded or a settled Failed: delete the state Secret (controller state of a VM should not
    /// linger; in the migration's namespace the owner reference is the fallback) and drop the finalizer.
    /// </summary>
    private async Task CleanUpAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        if (migration.Status?.SecretName is { } secret)
        {
            await _context.Secrets.DeleteAsync(new NamespacedName(_context.Options.StateNamespace ?? migration.Metadata.NamespaceProperty, secret), cancellationToken).ConfigureAwait(false);
        }

        if (!FailureReasons.KeepsSourceLocked(migration.Status?.FailureReason) || Finalizers.IsBeingDeleted(migration))
        {
            await RemoveFinalizerAsync(migration, cancellationToken).ConfigureAwait(false);
        }
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Completing: past the commit point, the controller runs on the destination, so this phase never rolls back (and has
/// no deadline): return both VFs to their pools and drop this migration's operations (one spec write per node), then
/// wait until both agents report the VFs no longer held. The source's frozen copy is reset by its agent, never resumed.
/// </summary>
internal sealed class MigrationCompletion(MigrationContext context, MigrationTransitions transitions, NodeWriter nodes, MigrationSettlement settlement)
{
    public async Task<StepOutcome> CompleteAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
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
            return new StepOutcome.Wait(context.Options.PollInterval);
        }

        var stored = await transitions.MoveAsync(migration, MigrationPhase.Completing, MigrationPhase.Succeeded, (status, now) =>
        {
            MigrationSteps.Finish(status, StepNames.ReleaseSource, source.Node, StepResult.Succeeded, now, $"VF {source.VfAddress} back in its pool");
            MigrationSteps.Finish(status, StepNames.ReleaseDestination, destination.Node, StepResult.Succeeded, now, $"VF {destination.VfAddress} handed over");
            status.CompletionTime = now;
        }, $"VF {source.VfAddress} of {source.Node} now runs as VF {destination.VfAddress} of {destination.Node}", cancellationToken)
            .ConfigureAwait(false);
        if (stored is not null && MigrationPhases.Of(stored) == MigrationPhase.Succeeded)
        {
            await settlement.CleanUpAsync(stored, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Done;
        }

        return StepOutcome.From(stored);
    }

    /// <summary>
    /// Releases the migration's holds on <paramref name="node"/> unless the cache already shows none. Safe only
    /// once the agent has reported the holds (Completing): the cache then is at least as new as the writes that
    /// made them, so "no hold in the cache" cannot be a cache that has not seen them yet. Saves a read per wake-up.
    /// </summary>
    private async Task<V1Alpha1NvmeNode?> ReleaseUnlessCachedReleasedAsync(string node, string uid, CancellationToken cancellationToken)
    {
        if (nodes.Cached(node) is { } cached && !NodeSpecEditor.References(cached, uid))
        {
            return cached;
        }

        return await nodes.ReleaseAsync(node, uid, cancellationToken).ConfigureAwait(false);
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// <c>stateTransfer: Agent</c> (DESIGN §4, §4.1): the destination is armed when it is reserved with RestoreState (state
/// from the source's SaveState, <c>stateFrom</c>) and Resume after it; opening the window asks the source for Suspend and
/// SaveState after it, in one write. From then on the agents need no operator: the destination agent watches the source's
/// NvmeNode and restores and resumes the moment the SaveState result is there, verifying the state against the digest
/// the source reported. So the window holds only Suspend, Get State, the Secret write, the source's status write, the
/// destination's Secret read, Set State and Resume.
/// </summary>
/// <param name="stateNamespace">Where the state Secret lives (<see cref="MigrationOptions.StateNamespace"/>).</param>
internal sealed class AgentStateTransfer(NodeWriter nodes, OperationRequests requests, string? stateNamespace) : IStateTransfer
{
    public IReadOnlyList<NodeOperation> ArmDestination(V1Alpha1NvmeMigration migration, ResolvedEndpoint destination, ResolvedEndpoint source)
    {
        var saveState = new OperationReference { Node = source.Node, OperationId = OperationIds.For(migration.Metadata.Uid!, OperationIds.SaveState) };
        return
        [
            OperationRequests.Build(migration, destination, NodeOperationType.RestoreState, OperationIds.RestoreState, stateFrom: saveState, stateNamespace: stateNamespace),
            OperationRequests.Build(migration, destination, NodeOperationType.Resume, OperationIds.Resume, after: OperationIds.RestoreState),
        ];
    }

    public async Task<FailureCause?> OpenWindowAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var source = migration.Status!.Source!;
        var outcome = await requests.RequestAsync(source,
            [
                OperationRequests.Build(migration, source, NodeOperationType.Suspend, OperationIds.Suspend),
                OperationRequests.Build(migration, source, NodeOperationType.SaveState, OperationIds.SaveState, after: OperationIds.Suspend, stateNamespace: stateNamespace),
            ], cancellationToken).ConfigureAwait(false);
        // A Failed result is read (with the others) by Observe; here only a request that could not be made counts.
        return outcome.Result is null ? outcome.Failure : null;
    }

    public WindowProgress Observe(V1Alpha1NvmeMigration migration) =>
        ProgressIn(migration, nodes.Cached(migration.Status!.Source!.Node), nodes.Cached(migration.Status.Destination!.Node));

    /// <summary>
    /// The destination can resume only once it restored the state the source saved. Unless the results already settle it
    /// (resumed: committed; Suspend, SaveState, RestoreState or Resume failed: each runs at most once, so never), the
    /// destination VF is unheld with its operations kept, and its agent must confirm it saw that (observedGeneration):
    /// from then on the steps refuse the restore and resume (the VF is no longer locked to the migration), and the
    /// resume result it publishes tells whether the destination resumed before that.
    /// </summary>
    public async Task<CommitCheck> DisarmAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var progress = Observe(migration);
        if (progress.Committed)
        {
            return new CommitCheck(CommitState.Committed, progress);
        }

        if (progress.StateNeverSaved || progress.RestoreState?.State == OperationState.Failed || progress.Resume?.State == OperationState.Failed)
        {
            return new CommitCheck(CommitState.NotCommitted, progress);
        }

        var destination = await nodes.UnholdAsync(progress.Destination, migration.Metadata.Uid!, cancellationToken).ConfigureAwait(false);
        if (destination is null || !NodeInventory.HasObservedSpec(destination))
        {
            return new CommitCheck(CommitState.Unknown, progress);
        }

        if (!NodeSpecEditor.HasOperation(destination, OperationIds.For(migration.Metadata.Uid!, OperationIds.Resume)))
        {
            // Only this decision removes them: the NvmeNode was re-created (or edited) under the migration, and with
            // the operations went the results that could tell. Nothing proves the destination did not resume.
            return new CommitCheck(CommitState.Unknown, progress);
        }

        var confirmed = ProgressIn(migration, nodes.Cached(progress.Source.Node), destination);
        return new CommitCheck(confirmed.Committed ? CommitState.Committed : CommitState.NotCommitted, confirmed);
    }

    private static WindowProgress ProgressIn(V1Alpha1NvmeMigration migration, V1Alpha1NvmeNode? sourceNode, V1Alpha1NvmeNode? destinationNode)
    {
        var uid = migration.Metadata.Uid!;
        return new WindowProgress(
            migration.Status!.Source!,
            migration.Status.Destination!,
            NodeInventory.FindResult(sourceNode, OperationIds.For(uid, OperationIds.Suspend)),
            NodeInventory.FindResult(sourceNode, OperationIds.For(uid, OperationIds.SaveState)),
            NodeInventory.FindResult(destinationNode, OperationIds.For(uid, OperationIds.RestoreState)),
            NodeInventory.FindResult(destinationNode, OperationIds.For(uid, OperationIds.Resume)));
    }
}

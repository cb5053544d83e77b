using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The operations a migration requests of the agents (the NvmeNode contract's <c>spec.operations</c>): built with
/// deterministic ids (<see cref="OperationIds"/>), written idempotently, read back by id.
/// </summary>
internal sealed class OperationRequests(NodeWriter nodes)
{
    /// <summary>
    /// Requests <paramref name="operations"/> on the endpoint's VF in one write (a no-op when the first is already
    /// there) and returns the agent's result of the first. A Failed result, or a VF no longer held so nothing could
    /// be requested, is a failure with the step's reason.
    /// </summary>
    public async Task<RequestOutcome> RequestAsync(ResolvedEndpoint endpoint, IReadOnlyList<NodeOperation> operations, CancellationToken cancellationToken)
    {
        var first = operations[0];
        var (node, requested) = await nodes.EnsureOperationsAsync(endpoint, operations, cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            return new RequestOutcome(null, null, new FailureCause(FailureReasons.NodeGone, $"NvmeNode {endpoint.Node} disappeared."));
        }

        if (!requested)
        {
            return new RequestOutcome(node, null, new FailureCause(FailureReasonOf(first.Type),
                $"VF {endpoint.VfAddress} on {endpoint.Node} is no longer held by this migration; {first.Type} was not requested."));
        }

        var result = NodeInventory.FindResult(node, first.Id);
        return new RequestOutcome(node, result, result?.State == OperationState.Failed ? FailureOf(first.Type, endpoint, result) : null);
    }

    /// <summary>One operation on the endpoint's VF, owned by the migration; <paramref name="after"/> orders it behind another.</summary>
    public static NodeOperation Build(
        V1Alpha1NvmeMigration migration, ResolvedEndpoint endpoint, NodeOperationType type, string step, string? after = null, OperationReference? stateFrom = null,
        string? stateNamespace = null)
    {
        var uid = migration.Metadata.Uid!;
        var operation = new NodeOperation
        {
            Id = OperationIds.For(uid, step),
            Type = type,
            VfAddress = endpoint.VfAddress!,
            OwnerUid = uid,
            After = after is null ? null : OperationIds.For(uid, after),
            StateFrom = stateFrom,
        };
        if (type is NodeOperationType.SaveState or NodeOperationType.RestoreState)
        {
            var secret = StateSecret.Locate(migration, stateNamespace);
            operation.SecretName = secret.Name;
            operation.SecretNamespace = secret.Namespace;
        }

        return operation;
    }

    /// <summary>The failure a Failed result of <paramref name="type"/> on <paramref name="endpoint"/> means.</summary>
    public static FailureCause FailureOf(NodeOperationType type, ResolvedEndpoint endpoint, NodeOperationResult result) =>
        new(FailureReasonOf(type), $"{type} on {endpoint.Node} VF {endpoint.VfAddress} failed: {result.Reason}: {result.Message}");

    private static string FailureReasonOf(NodeOperationType type) => type switch
    {
        NodeOperationType.Suspend => FailureReasons.SuspendFailed,
        NodeOperationType.SaveState => FailureReasons.SaveStateFailed,
        NodeOperationType.RestoreState => FailureReasons.RestoreStateFailed,
        _ => FailureReasons.ResumeFailed,
    };
}

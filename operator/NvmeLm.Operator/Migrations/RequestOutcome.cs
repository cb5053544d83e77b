using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// What requesting an operation found: the NvmeNode as stored (null: gone), the agent's result of the operation so far
/// (null: none yet), and the failure it amounts to, if any.
/// </summary>
internal sealed record RequestOutcome(V1Alpha1NvmeNode? Node, NodeOperationResult? Result, FailureCause? Failure);

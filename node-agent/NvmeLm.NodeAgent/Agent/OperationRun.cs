using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// What one pass over <c>spec.operations</c> produced: a result for every operation that has one,
/// <see cref="RetryNeeded"/> when one must be retried soon (the API server, not the hardware, failed), and how many
/// operations reached a final result in this pass (worth publishing at once).
/// </summary>
public sealed record OperationRun(IReadOnlyList<NodeOperationResult> Results, bool RetryNeeded, int Finished);

using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// What one sync found and did, for the status: the spec generation it applied, the inventory read afterwards,
/// the operation results, and the problems that exist now (<see cref="Errors"/>; empty = Ready).
/// </summary>
public sealed record SyncReport(
    long? Generation,
    IReadOnlyList<PhysicalFunctionStatus> PhysicalFunctions,
    IReadOnlyList<NodeOperationResult> OperationResults,
    IReadOnlyList<string> Errors,
    bool InvalidSpec);

using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// What one sync found and did, for the status: the spec generation it applied, the inventory read afterwards,
/// the operation results, the problems that exist now (<see cref="Errors"/>; empty = Ready), and drift: what a
/// sync at an already applied generation had to re-apply (<see cref="DriftCorrected"/>) or could not
/// (<see cref="DriftNotCorrected"/>); both null when the hardware was as applied.
/// </summary>
public sealed record SyncReport(
    long? Generation,
    IReadOnlyList<PhysicalFunctionStatus> PhysicalFunctions,
    IReadOnlyList<NodeOperationResult> OperationResults,
    IReadOnlyList<string> Errors,
    bool InvalidSpec,
    string? DriftCorrected = null,
    string? DriftNotCorrected = null);

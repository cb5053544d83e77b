using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;
using NvmeLm.Hardware.Emulated;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// One row of the fault matrix: what is armed before the migration is created, and what is done when the
/// migration is first seen entering <see cref="AtPhase"/> (a step boundary) or, with <see cref="AtHardware"/>, right
/// after that hardware step inside the critical section (where the operator may not have seen anything yet).
/// <see cref="Expect"/>, when set, lists what is wrong with the final migration beyond the common checks (e.g. the
/// failure named the wrong step).
/// </summary>
public sealed record FaultCase(
    string Name, MigrationPhase? AtPhase, Func<FaultCaseContext, Task>? Arm, Func<FaultCaseContext, Task>? AtBoundary,
    Func<V1Alpha1NvmeMigration, IEnumerable<string>>? Expect = null, WindowPoint? AtHardware = null)
{
    public override string ToString() => Name;
}

/// <summary>A point inside the critical section: right after an NVMe command took effect on the source or the destination.</summary>
public sealed record WindowPoint(string Name, bool OnSource, byte Opcode, byte Select)
{
    public bool IsReachedBy(EmulatedWriteRecord record) =>
        record is { Kind: EmulatedOperationKind.NvmeCommand, Succeeded: true, Changed: true }
        && record.Opcode == Opcode && HardwareLogs.SelectOf(record) == Select;
}

/// <summary>
/// The cluster and the two nodes of the migration a <see cref="FaultCase"/> runs against. <see cref="StopsRequested"/>
/// completes once a kill has asked every process it kills to stop (the window cases hold the agent's hardware step
/// until then, so the kill lands right after that step and not after the agent's whole sync).
/// </summary>
public sealed record FaultCaseContext(SimulatedCluster Cluster, SimulatedNode Source, SimulatedNode Destination)
{
    public TaskCompletionSource StopsRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What one case ended with, for the summary table (<see cref="FiredAt"/>: the phase or window point the fault hit).</summary>
public sealed record FaultCaseResult(FaultCase Case, MigrationPhase? Outcome, string? Reason, string? FiredAt, double Seconds, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

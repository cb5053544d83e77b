using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// One row of the fault matrix: what is armed before the migration is created, and what is done when the
/// migration is first seen entering <see cref="AtPhase"/> (a step boundary). <see cref="Expect"/>, when set, lists
/// what is wrong with the final migration beyond the common checks (e.g. the failure named the wrong step).
/// </summary>
public sealed record FaultCase(
    string Name, MigrationPhase? AtPhase, Func<FaultCaseContext, Task>? Arm, Func<FaultCaseContext, Task>? AtBoundary,
    Func<V1Alpha1NvmeMigration, IEnumerable<string>>? Expect = null)
{
    public override string ToString() => Name;
}

/// <summary>The cluster and the two nodes of the migration a <see cref="FaultCase"/> runs against.</summary>
public sealed record FaultCaseContext(SimulatedCluster Cluster, SimulatedNode Source, SimulatedNode Destination);

/// <summary>What one case ended with, for the summary table.</summary>
public sealed record FaultCaseResult(FaultCase Case, MigrationPhase? Outcome, string? Reason, MigrationPhase? PhaseAtFault, double Seconds, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

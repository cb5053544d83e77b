using System.Globalization;
using System.Text;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;
using Xunit.Abstractions;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// The fault matrix of issue 5 (see <see cref="FaultMatrix"/>): each case must end Succeeded or rolled back to a
/// clean Failed, with no leak and no hardware step taking effect twice. Each test prints its table.
/// Each matrix runs on a cluster of its own: every case leaves one VF holding a VM (the destination after a
/// success, the source after a rollback), and the operator rightly never offers such a VF as a destination, so
/// one cluster must have a free VF on each side for every case (a case that ends NoFreeDestinationVf tests nothing).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class FaultMatrixTests(ITestOutputHelper output)
{
    [Fact]
    public void Matrix_Should_CoverEveryTransactionPhase_When_GeneratedFromThePhaseEnum()
    {
        var kills = FaultMatrix.KillCases();
        var injected = FaultMatrix.InjectedCases();
        var running = Enum.GetValues<MigrationPhase>().Count(p => p is not (MigrationPhase.Pending or MigrationPhase.Planned
            or MigrationPhase.Succeeded or MigrationPhase.Failed or MigrationPhase.RollingBack));

        Assert.Equal(running, FaultMatrix.Boundaries.Count);
        Assert.Equal(3 * running, kills.Count);
        Assert.All(FaultMatrix.Boundaries, p => Assert.Equal(3, kills.Count(c => c.AtPhase == p)));
        Assert.All(FailAtStep.All, s => Assert.Contains(injected, c => c.Name == "NVMe error at " + s.Step));
        var window = FaultMatrix.WindowKillCases();
        Assert.Equal(3 * FaultMatrix.WindowPoints.Count, window.Count);
        Assert.All(window, c => Assert.NotNull(c.AtHardware));
        output.WriteLine($"fault matrix: {kills.Count} kill cases + {window.Count} inside the critical section + {injected.Count} injected-fault cases = "
            + $"{kills.Count + window.Count + injected.Count}");
    }

    [Fact]
    public Task KillingAgentsOrOperator_Should_EndSucceededOrCleanlyRolledBack_When_DoneAtEveryStepBoundary() =>
        RunAsync(FaultMatrix.KillCases(), offset: 0);

    [Fact]
    public Task InjectedFaults_Should_EndSucceededOrCleanlyRolledBack_When_ApiOrHardwareMisbehaves() =>
        RunAsync(FaultMatrix.InjectedCases(), offset: 1000);

    [Fact]
    public Task KillingInsideTheCriticalSection_Should_EndSucceededOrCleanlyRolledBack_When_TheAgentsActWithoutTheOperator() =>
        RunAsync(FaultMatrix.WindowKillCases(), offset: 2000);

    private async Task RunAsync(IReadOnlyList<FaultCase> cases, int offset)
    {
        // Four PFs a node: room for every case's VM on each side, so no case ends for want of a free VF.
        await using var cluster = await TestClusters.StartProvisionedAsync(
            TestClusters.Options(SimulatedClusterOptions.NodeSpecs(2, pfCount: 4)));
        var results = new List<FaultCaseResult>();
        for (var i = 0; i < cases.Count; i++)
        {
            results.Add(await FaultCaseRunner.RunAsync(cluster, cases[i], offset + i));
        }

        output.WriteLine(Table(results));
        var failed = results.Where(r => !r.Passed).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {results.Count} cases failed:\n" + string.Join("\n", failed.Select(r => $"{r.Case.Name}: {string.Join("; ", r.Problems)}")));
    }

    private static string Table(IReadOnlyList<FaultCaseResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{results.Count} cases, {results.Count(r => r.Passed)} passed; "
            + $"{results.Count(r => r.Outcome == MigrationPhase.Succeeded)} Succeeded, {results.Count(r => r.Outcome == MigrationPhase.Failed)} Failed (rolled back)");
        text.AppendLine("| case | fired in | outcome | reason | seconds | result |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Case.Name} | {r.FiredAt ?? "-"} | {r.Outcome?.ToString() ?? "none"} | {r.Reason ?? ""} | {r.Seconds:0.0} | {(r.Passed ? "ok" : "FAIL: " + string.Join("; ", r.Problems))} |");
        }

        return text.ToString();
    }
}

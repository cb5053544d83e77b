using System.Diagnostics;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// Runs one <see cref="FaultCase"/>: a migration between the two nodes, the fault armed or fired at its boundary,
/// then the checks — the migration ends Succeeded or Failed with a clean rollback, nothing leaked (specs,
/// statuses, hardware and journals agree with the final state), and no hardware operation took effect twice.
/// </summary>
internal static class FaultCaseRunner
{
    public static async Task<FaultCaseResult> RunAsync(SimulatedCluster cluster, FaultCase fault, int index)
    {
        var clock = Stopwatch.StartNew();
        var (source, destination) = index % 2 == 0 ? (cluster.Node("worker-1"), cluster.Node("worker-2")) : (cluster.Node("worker-2"), cluster.Node("worker-1"));
        var context = new FaultCaseContext(cluster, source, destination);
        var name = $"matrix-{index}";
        var problems = new List<string>();
        var sourceVf = (await cluster.FreeVfsAsync(source.Name, CancellationToken.None))[0];
        var mark = HardwareLogs.Mark(cluster);
        await using var tracker = new MigrationTracker(cluster.Migrations, clock);
        await tracker.StartAsync(CancellationToken.None);
        MigrationPhase? phaseAtFault = null;
        Task fired = Task.CompletedTask;
        var firedOnce = 0;
        if (fault.AtPhase is { } boundary && fault.AtBoundary is { } action)
        {
            tracker.PhaseChanged += (tracked, phase) =>
            {
                var reached = phase == boundary || (phase > boundary && phase < MigrationPhase.Succeeded);
                if (reached && Interlocked.Exchange(ref firedOnce, 1) == 0)
                {
                    phaseAtFault = phase;
                    fired = Task.Run(() => action(context));
                }
            };
        }

        if (fault.Arm is { } arm)
        {
            await arm(context);
        }

        tracker.Track(name);
        await cluster.CreateMigrationAsync(name, source.Name, sourceVf, destination.Name);
        V1Alpha1NvmeMigration? final = null;
        try
        {
            final = await cluster.WaitForTerminalAsync(name, TestClusters.MigrationTimeout);
        }
        catch (TimeoutException e)
        {
            problems.Add(e.Message);
        }

        await fired;
        if (fault.AtPhase is not null && phaseAtFault is null)
        {
            problems.Add($"the migration never reached {fault.AtPhase}, so the fault did not fire");
        }

        if (final is not null)
        {
            if (final.Status?.FailureReason == "NoFreeDestinationVf")
            {
                problems.Add("the cluster had no free destination VF, so the case tested nothing");
            }

            problems.AddRange(RollbackCheck.Problems([final]));
            problems.AddRange(fault.Expect?.Invoke(final) ?? []);
            // The leak check looks at the whole cluster: name this case's migration so a leak can be told apart from it.
            var leaks = await LeakCheck.RunAsync(cluster, [final], TimeSpan.FromSeconds(20), CancellationToken.None);
            problems.AddRange(leaks.Select(leak => $"{leak} (this case: uid {final.Metadata.Uid}, steps {Timeline(final)})"));
        }

        problems.AddRange(HardwareLogs.DuplicateEffects(cluster, mark));
        foreach (var node in cluster.Nodes)
        {
            node.Host.Faults.Clear();
        }

        cluster.Server.Faults.Clear();
        return new FaultCaseResult(fault, final?.Status?.Phase, final?.Status?.FailureReason, phaseAtFault, clock.Elapsed.TotalSeconds, problems);
    }

    private static string Timeline(V1Alpha1NvmeMigration migration) =>
        string.Join(", ", migration.Status?.Steps?.Select(s => $"{s.Name} {s.Result}") ?? []);
}

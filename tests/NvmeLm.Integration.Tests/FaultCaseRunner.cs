using System.Diagnostics;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;
using NvmeLm.DevCluster.Trace;
using NvmeLm.Hardware.Emulated;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// Runs one <see cref="FaultCase"/>: a migration between the two nodes, the fault armed or fired at its boundary or
/// window point, then the checks — the migration ends Succeeded or Failed with a clean rollback, its timeline adds up
/// (<see cref="TimelineCheck"/>) and so does a committed migration's critical-section trace (<see cref="TraceCheck"/>), nothing leaked (specs, statuses, hardware and journals agree with the final state),
/// no hardware operation took effect twice, and the controller never ran on both sides.
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
        string? firedAt = null;
        Task fired = Task.CompletedTask;
        var firedOnce = 0;
        void Fire(string at)
        {
            if (fault.AtBoundary is { } action && Interlocked.Exchange(ref firedOnce, 1) == 0)
            {
                firedAt = at;
                // Not on the caller's thread: that is the informer's loop, or an agent's sync inside a hardware command.
                fired = Task.Run(() => action(context));
            }
        }

        if (fault.AtPhase is { } boundary)
        {
            tracker.PhaseChanged += (_, phase) =>
            {
                if (phase == boundary || (phase > boundary && phase < MigrationPhase.Succeeded))
                {
                    Fire(phase.ToString());
                }
            };
        }

        var pointNode = fault.AtHardware is { } point ? (point.OnSource ? source : destination) : null;
        Action<EmulatedWriteRecord> atHardware = record =>
        {
            if (fault.AtHardware!.IsReachedBy(record) && firedAt is null)
            {
                Fire(fault.AtHardware.Name);
                // On the agent's sync, right after the command: hold it until the kill asked for the stops, so the agent
                // (if killed) stops at its next cancellation point, inside the window.
                if (!context.StopsRequested.Task.Wait(TimeSpan.FromSeconds(30)))
                {
                    problems.Add($"the kill at {fault.AtHardware.Name} did not ask for the stops within 30 s");
                }
            }
        };
        if (pointNode is not null)
        {
            pointNode.Host.WriteLog.Recorded += atHardware;
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
        if (pointNode is not null)
        {
            pointNode.Host.WriteLog.Recorded -= atHardware;
        }

        if ((fault.AtPhase ?? (object?)fault.AtHardware) is { } target && firedAt is null)
        {
            problems.Add($"the migration never reached {target}, so the fault did not fire");
        }

        if (final is not null)
        {
            if (final.Status?.FailureReason == "NoFreeDestinationVf")
            {
                problems.Add("the cluster had no free destination VF, so the case tested nothing");
            }

            problems.AddRange(RollbackCheck.Problems([final]));
            problems.AddRange(TimelineCheck.Problems([final]));
            problems.AddRange(TraceCheck.Problems([final]));
            problems.AddRange(fault.Expect?.Invoke(final) ?? []);
            problems.AddRange(BothSides(final, source, destination, mark));
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
        return new FaultCaseResult(fault, final?.Status?.Phase, final?.Status?.FailureReason, firedAt, clock.Elapsed.TotalSeconds, problems);
    }

    /// <summary>
    /// A controller never runs on both sides: after a success the source was never resumed (its frozen copy is reset),
    /// after a rollback the destination was never resumed.
    /// </summary>
    private static IEnumerable<string> BothSides(V1Alpha1NvmeMigration final, SimulatedNode source, SimulatedNode destination, IReadOnlyDictionary<string, long> mark)
    {
        var (onSource, onDestination) = (HardwareLogs.EffectiveResumes(source, mark), HardwareLogs.EffectiveResumes(destination, mark));
        if (final.Status?.Phase == MigrationPhase.Succeeded && (onSource != 0 || onDestination != 1))
        {
            yield return $"Succeeded with {onSource} resume(s) on the source and {onDestination} on the destination (want 0 and 1)";
        }

        if (final.Status?.Phase == MigrationPhase.Failed && onDestination != 0)
        {
            yield return $"rolled back, yet the destination resumed {onDestination} time(s): the controller ran on both sides";
        }
    }

    private static string Timeline(V1Alpha1NvmeMigration migration) =>
        string.Join(", ", migration.Status?.Steps?.Select(s => $"{s.Name} {s.Result}") ?? []);
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer.Faults;
using NvmeLm.DevCluster;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// The fault matrix, generated from <see cref="MigrationPhase"/>: every phase a transaction passes through is a
/// step boundary, and at each one the agents, the operator, or both are killed and restarted, the watches are
/// dropped, or every watch is answered 410 Gone. Then the faults that are not tied to a boundary: an NVMe error
/// at each hardware step (<see cref="FailAtStep.All"/>), EBUSY on sysfs writes, and 409 storms on status and
/// spec updates. A phase added to the enum joins the matrix by itself.
/// </summary>
public static class FaultMatrix
{
    public enum KillTarget
    {
        Agents,
        Operator,
        Both,
    }

    /// <summary>Phases of a running transaction (everything but the start, Plan, the end states and the rollback).</summary>
    public static IReadOnlyList<MigrationPhase> Boundaries { get; } = Enum.GetValues<MigrationPhase>()
        .Where(p => p is not (MigrationPhase.Pending or MigrationPhase.Planned or MigrationPhase.Succeeded or MigrationPhase.Failed or MigrationPhase.RollingBack))
        .ToList();

    public static IReadOnlyList<FaultCase> KillCases() =>
        Boundaries.SelectMany(phase => Enum.GetValues<KillTarget>().Select(target =>
            new FaultCase($"kill {target} at {phase}", phase, null, context => KillAsync(context, target)))).ToList();

    /// <summary>
    /// Points inside the critical section (DESIGN §4.1), where the agents act without the operator: the source just
    /// suspended, the destination just restored the state (not resumed: before the commit point), the destination just
    /// resumed (the commit point passed, before the operator saw it).
    /// </summary>
    public static IReadOnlyList<WindowPoint> WindowPoints { get; } =
    [
        new("source suspended", OnSource: true, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectSuspend),
        new("destination restored", OnSource: false, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectSetControllerState),
        new("destination resumed", OnSource: false, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectResume),
    ];

    /// <summary>Agents, operator or both killed and restarted at each point inside the critical section.</summary>
    public static IReadOnlyList<FaultCase> WindowKillCases() =>
        WindowPoints.SelectMany(point => Enum.GetValues<KillTarget>().Select(target =>
            new FaultCase($"kill {target} once {point.Name}", null, null, context => KillAsync(context, target), AtHardware: point))).ToList();

    public static IReadOnlyList<FaultCase> InjectedCases()
    {
        var cases = new List<FaultCase>();
        foreach (var phase in Boundaries)
        {
            cases.Add(new FaultCase($"drop watches at {phase}", phase, null, context =>
            {
                context.Cluster.Server.Faults.CloseAllWatches();
                return Task.CompletedTask;
            }));
            cases.Add(new FaultCase($"410 Gone at {phase}", phase, null, context =>
            {
                // Every informer's next watch gets 410 (operator: 4, agents: 1 each, the test's own tracker: 1).
                for (var i = 0; i < 4 + context.Cluster.Nodes.Count + 1; i++)
                {
                    context.Cluster.Server.Faults.ForceGoneOnNextWatch();
                }

                context.Cluster.Server.Faults.CloseAllWatches();
                return Task.CompletedTask;
            }));
        }

        foreach (var step in FailAtStep.All)
        {
            cases.Add(new FaultCase($"NVMe error at {step.Step}", null, context =>
            {
                step.Arm(context.Source, context.Destination, 1);
                return Task.CompletedTask;
            }, null, final => FailedAt(final, step)));
        }

        cases.Add(new FaultCase("EBUSY x2 on every sysfs write of both nodes", null, context =>
        {
            foreach (var node in new[] { context.Source, context.Destination })
            {
                node.Host.Faults.FailWrite("/bind", Errnos.EBUSY, 2);
                node.Host.Faults.FailWrite("/unbind", Errnos.EBUSY, 2);
                node.Host.Faults.FailWrite("/driver_override", Errnos.EBUSY, 2);
            }

            return Task.CompletedTask;
        }, null));
        cases.Add(new FaultCase("409 storm on NvmeMigration status", null, context =>
        {
            context.Cluster.Server.Faults.FailNext(8, 409, new RequestMatch(Verb: "update", Resource: "nvmemigrations", Subresource: "status"));
            return Task.CompletedTask;
        }, null));
        cases.Add(new FaultCase("409 storm on NvmeNode spec and status", null, context =>
        {
            context.Cluster.Server.Faults.FailNext(8, 409, new RequestMatch(Verb: "update", Resource: "nvmenodes"));
            context.Cluster.Server.Faults.FailNext(8, 409, new RequestMatch(Verb: "patch", Resource: "nvmenodes"));
            return Task.CompletedTask;
        }, null));
        return cases;
    }

    private static async Task KillAsync(FaultCaseContext context, KillTarget target)
    {
        var cluster = context.Cluster;
        var agents = target is KillTarget.Agents or KillTarget.Both;
        var operators = target is KillTarget.Operator or KillTarget.Both;
        var stopping = new List<Task>();
        if (agents)
        {
            stopping.Add(context.Source.StopAgentAsync());
            stopping.Add(context.Destination.StopAgentAsync());
        }

        if (operators)
        {
            stopping.AddRange(cluster.Operators.Select(o => cluster.StopOperatorAsync(o)));
        }

        // Every stop is asked for (an agent's token is cancelled once its stop began): a held agent step may go on.
        context.StopsRequested.TrySetResult();
        await Task.WhenAll(stopping);
        if (agents)
        {
            await Task.WhenAll(context.Source.StartAgentAsync(CancellationToken.None), context.Destination.StartAgentAsync(CancellationToken.None));
        }

        if (operators)
        {
            await cluster.StartOperatorAsync();
        }
    }

    /// <summary>An injected NVMe error must fail the migration with that step's reason, recorded on that step.</summary>
    private static IEnumerable<string> FailedAt(V1Alpha1NvmeMigration final, FailAtStep step)
    {
        if (final.Status?.Phase != MigrationPhase.Failed || final.Status.FailureReason != step.ExpectedReason)
        {
            yield return $"expected Failed with {step.ExpectedReason}, got {final.Status?.Phase} with {final.Status?.FailureReason}";
        }

        var failedSteps = final.Status?.Steps?.Where(s => s.Result == StepResult.Failed).Select(s => s.Name).ToList() ?? [];
        if (failedSteps.Count != 1 || failedSteps[0] != step.Step)
        {
            yield return $"expected exactly step {step.Step} Failed, got [{string.Join(", ", failedSteps)}]";
        }
    }
}

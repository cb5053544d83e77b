using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.DevCluster;

/// <summary>
/// What an honest timeline looks like in a finished migration (DESIGN §4.1): every step has a start and a finish, none
/// finishes before it starts (each step's two times come from one clock), none is left running; a migration whose
/// controller was suspended records its downtime, which ends no earlier than it began; a Succeeded one resumed on its
/// destination.
/// </summary>
public static class TimelineCheck
{
    public static IReadOnlyList<string> Problems(IReadOnlyList<V1Alpha1NvmeMigration> migrations)
    {
        var problems = new List<string>();
        foreach (var migration in migrations.Where(m => m.Status?.Phase is MigrationPhase.Succeeded or MigrationPhase.Failed))
        {
            var name = migration.Metadata.Name;
            var status = migration.Status!;
            foreach (var step in status.Steps ?? [])
            {
                if (step.StartedAt is not { } start || step.FinishedAt is not { } finish)
                {
                    problems.Add($"{name}: step {step.Name} ({step.Result}) has no {(step.StartedAt is null ? "start" : "finish")} time");
                }
                else if (finish < start)
                {
                    problems.Add($"{name}: step {step.Name} finishes {(start - finish).TotalMilliseconds:0.###} ms before it starts");
                }

                if (step.Result == StepResult.Running)
                {
                    problems.Add($"{name}: step {step.Name} is still Running in a {status.Phase} migration");
                }
            }

            problems.AddRange(DowntimeProblems(name, status));
        }

        return problems;
    }

    private static IEnumerable<string> DowntimeProblems(string name, V1Alpha1NvmeMigration.EntityStatus status)
    {
        var downtime = status.Downtime;
        if (status.Phase == MigrationPhase.Succeeded)
        {
            if (downtime is not { SuspendedAt: not null, ResumedAt: not null, Milliseconds: not null })
            {
                yield return $"{name}: Succeeded without a complete downtime record";
                yield break;
            }

            if (downtime.ResumedOn != status.Destination?.Node)
            {
                yield return $"{name}: Succeeded but resumed on {downtime.ResumedOn}, not on the destination {status.Destination?.Node}";
            }
        }

        if (downtime is { SuspendedAt: { } suspended, ResumedAt: { } resumed } && resumed < suspended)
        {
            yield return $"{name}: resumed {(suspended - resumed).TotalMilliseconds:0.###} ms before it was suspended";
        }
    }
}

using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.DevCluster;

/// <summary>
/// What a clean rollback looks like in a Failed migration's status: every rollback step (resume the source,
/// release both ends) finished without failing, and the failure reason is the original cause, not a rollback
/// that could not complete. The hardware and journal side is <see cref="LeakCheck"/>.
/// </summary>
public static class RollbackCheck
{
    /// <summary>Failure reasons the operator uses when the rollback itself did not complete.</summary>
    public static readonly IReadOnlySet<string> UncleanReasons = new HashSet<string>(StringComparer.Ordinal) { "RollbackIncomplete", "SourceResumeFailed" };

    public static IReadOnlyList<string> Problems(IReadOnlyList<V1Alpha1NvmeMigration> migrations)
    {
        var problems = new List<string>();
        foreach (var migration in migrations.Where(m => m.Status?.Phase == MigrationPhase.Failed))
        {
            var name = migration.Metadata.Name;
            var status = migration.Status!;
            if (status.FailureReason is { } reason && UncleanReasons.Contains(reason))
            {
                problems.Add($"{name}: rollback not clean ({reason})");
            }

            foreach (var step in (status.Steps ?? []).Where(s => s.Name.StartsWith("Rollback", StringComparison.Ordinal)))
            {
                if (step.Result is StepResult.Failed or StepResult.Running)
                {
                    problems.Add($"{name}: rollback step {step.Name} on {step.Node} ended {step.Result}: {step.Message}");
                }
            }
        }

        return problems;
    }
}

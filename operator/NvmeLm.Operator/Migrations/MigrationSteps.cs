using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>Edits of <c>status.steps</c>, the transaction's timeline.</summary>
internal static class MigrationSteps
{
    public static void Start(V1Alpha1NvmeMigration.EntityStatus status, string name, string? node, DateTime now)
    {
        status.Steps ??= new List<MigrationStep>();
        if (status.Steps.Any(s => s.Name == name && s.Result == StepResult.Running))
        {
            return;
        }

        status.Steps.Add(new MigrationStep { Name = name, Node = node, StartedAt = now, Result = StepResult.Running });
    }

    /// <summary>
    /// Finishes the running step <paramref name="name"/> (or records it finished when it never ran as a
    /// separate step), taking the agent's own timestamps when it reported them.
    /// </summary>
    public static void Finish(
        V1Alpha1NvmeMigration.EntityStatus status, string name, string? node, StepResult result, DateTime now,
        string? message = null, DateTime? startedAt = null, DateTime? finishedAt = null)
    {
        status.Steps ??= new List<MigrationStep>();
        var step = status.Steps.LastOrDefault(s => s.Name == name && s.Result == StepResult.Running);
        if (step is null)
        {
            step = new MigrationStep { Name = name, Node = node, StartedAt = startedAt ?? now };
            status.Steps.Add(step);
        }

        step.Result = result;
        step.FinishedAt = finishedAt ?? now;
        if (message is not null)
        {
            step.Message = message.Length > 4096 ? message[..4096] : message;
        }
    }

    /// <summary>Marks every running step failed (the step that was in flight when the transaction failed).</summary>
    public static void FailRunning(V1Alpha1NvmeMigration.EntityStatus status, string message, DateTime now)
    {
        foreach (var step in status.Steps?.Where(s => s.Result == StepResult.Running) ?? [])
        {
            step.Result = StepResult.Failed;
            step.FinishedAt = now;
            step.Message = message.Length > 4096 ? message[..4096] : message;
        }
    }

    /// <summary>When rollback began (the first rollback step), for the rollback deadline.</summary>
    public static DateTime? RollbackStartedAt(V1Alpha1NvmeMigration.EntityStatus? status) =>
        status?.Steps?.FirstOrDefault(s => s.Name.StartsWith("Rollback", StringComparison.Ordinal))?.StartedAt;
}

using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Edits of <c>status.steps</c>, the transaction's timeline. A step's start and finish come from one clock: a hardware
/// step carries the agent's own start and finish (the operator's request time is replaced by when the agent began),
/// an operator step the operator's. Clocks of different machines are never subtracted, and a finish is never
/// recorded before its start (a guard for an operator replaced mid-step on a host whose clock is behind).
/// </summary>
internal static class MigrationSteps
{
    private const int MaxMessageLength = 4096;

    /// <param name="requestedOfAgent">
    /// The operator asks an agent for this step right after this write: <paramref name="now"/> is also its
    /// <c>requestedAt</c>, which the agent's times do not replace (the start of the critical section's trace).
    /// </param>
    public static void Start(V1Alpha1NvmeMigration.EntityStatus status, string name, string? node, DateTime now, bool requestedOfAgent = false)
    {
        status.Steps ??= new List<MigrationStep>();
        if (status.Steps.Any(s => s.Name == name && s.Result == StepResult.Running))
        {
            return;
        }

        status.Steps.Add(new MigrationStep { Name = name, Node = node, StartedAt = now, RequestedAt = requestedOfAgent ? now : null, Result = StepResult.Running });
    }

    /// <summary>Finishes the running operator step <paramref name="name"/> (or records it finished when it never ran as a separate step).</summary>
    public static void Finish(
        V1Alpha1NvmeMigration.EntityStatus status, string name, string? node, StepResult result, DateTime now, string? message = null)
    {
        var step = RunningOrNew(status, name, node, now);
        step.Result = result;
        step.FinishedAt = now;
        SetMessage(step, message);
        KeepOrder(step);
    }

    /// <summary>
    /// Records a hardware step as its agent reported it: the agent's result, and its start and finish (both from the
    /// agent's clock). A result without times keeps the operator's start and gets the operator's now as its finish.
    /// </summary>
    public static void FinishFromAgent(
        V1Alpha1NvmeMigration.EntityStatus status, string name, string? node, NodeOperationResult result, DateTime now, string? message = null)
    {
        var step = RunningOrNew(status, name, node, now);
        step.Result = result.State == OperationState.Failed ? StepResult.Failed : StepResult.Succeeded;
        if (result.StartedAt is { } started && result.FinishedAt is { } finished)
        {
            step.StartedAt = started;
            step.FinishedAt = finished;
        }
        else
        {
            step.FinishedAt = now;
        }

        step.SeenAt = result.SeenAt;
        step.ReportedAt = result.ReportedAt;

        SetMessage(step, message ?? result.Message);
        KeepOrder(step);
    }

    /// <summary>Marks every running step failed (the step that was in flight when the transaction failed).</summary>
    public static void FailRunning(V1Alpha1NvmeMigration.EntityStatus status, string message, DateTime now)
    {
        foreach (var step in status.Steps?.Where(s => s.Result == StepResult.Running) ?? [])
        {
            step.Result = StepResult.Failed;
            step.FinishedAt = now;
            SetMessage(step, message);
            KeepOrder(step);
        }
    }

    /// <summary>Gives a running step a final result without a message of its own (a rollback step that was not needed, …).</summary>
    public static void Settle(V1Alpha1NvmeMigration.EntityStatus status, string name, StepResult result, DateTime now, string? message = null)
    {
        foreach (var step in status.Steps?.Where(s => s.Name == name && s.Result == StepResult.Running) ?? [])
        {
            step.Result = result;
            step.FinishedAt = now;
            SetMessage(step, message);
            KeepOrder(step);
        }
    }

    /// <summary>Whether a step of that name already has a final result (the timeline records each step once).</summary>
    public static bool IsFinished(V1Alpha1NvmeMigration.EntityStatus? status, string name) =>
        status?.Steps?.Any(s => s.Name == name && s.Result != StepResult.Running) == true;

    public static bool IsRunning(V1Alpha1NvmeMigration.EntityStatus? status, string name) =>
        status?.Steps?.Any(s => s.Name == name && s.Result == StepResult.Running) == true;

    /// <summary>
    /// Whether Suspend may have been requested of the source: its step is written (with the Suspending phase) before
    /// the request, so without it no Suspend was ever asked for.
    /// </summary>
    public static bool SuspendRequested(V1Alpha1NvmeMigration.EntityStatus? status) => status?.Steps?.Any(s => s.Name == StepNames.Suspend) == true;

    /// <summary>A <c>stateTransfer: Vmm</c> window was opened: the VMIM may exist (its first step is stored before it is created).</summary>
    public static bool VmimRequested(V1Alpha1NvmeMigration.EntityStatus? status) =>
        status?.Steps?.Any(s => s.Name.StartsWith(VmimProgress.StepPrefix, StringComparison.Ordinal)) == true;

    /// <summary>When rollback began (the first rollback step), for the rollback deadline.</summary>
    public static DateTime? RollbackStartedAt(V1Alpha1NvmeMigration.EntityStatus? status) =>
        status?.Steps?.FirstOrDefault(s => s.Name.StartsWith("Rollback", StringComparison.Ordinal))?.StartedAt;

    private static MigrationStep RunningOrNew(V1Alpha1NvmeMigration.EntityStatus status, string name, string? node, DateTime now)
    {
        status.Steps ??= new List<MigrationStep>();
        var step = status.Steps.LastOrDefault(s => s.Name == name && s.Result == StepResult.Running);
        if (step is null)
        {
            step = new MigrationStep { Name = name, Node = node, StartedAt = now };
            status.Steps.Add(step);
        }

        return step;
    }

    private static void SetMessage(MigrationStep step, string? message)
    {
        if (message is not null)
        {
            step.Message = message.Length > MaxMessageLength ? message[..MaxMessageLength] : message;
        }
    }

    private static void KeepOrder(MigrationStep step)
    {
        if (step.StartedAt is { } start && step.FinishedAt is { } finish && finish < start)
        {
            step.FinishedAt = start;
        }
    }
}

using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>One step of the transaction with its timestamps, for <c>kubectl describe</c> and the demo timeline.</summary>
[Description("One executed step of the transaction.")]
public sealed class MigrationStep
{
    [Required]
    [MaxLength(64)]
    [Description("Step name, e.g. ReserveDestination, BindVfio, AllowMigrate, Suspend, SaveState, RestoreState, Resume, ReleaseSource, or Rollback* while rolling back.")]
    public string Name { get; set; } = "";

    [Pattern(ApiPatterns.NodeName)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Node the step ran on; absent for operator-only steps.")]
    public string? Node { get; set; }

    [Description("When the step started: for a hardware step the agent's own time, else the operator's (microsecond precision). startedAt and finishedAt of one step always come from one clock.")]
    public DateTime? StartedAt { get; set; }

    [Description("When the step reached a final result, from the same clock as startedAt; never before it.")]
    public DateTime? FinishedAt { get; set; }

    [Description("A step the operator requested of an agent: when the operator decided to request it (the operator's clock). Trace of the critical section.")]
    public DateTime? RequestedAt { get; set; }

    [Description("A hardware step: when its agent first had what it needs (the agent's clock; see NvmeNode operationResults[].seenAt).")]
    public DateTime? SeenAt { get; set; }

    [Description("A hardware step: when its agent sent the status write that first carried the result (the agent's clock).")]
    public DateTime? ReportedAt { get; set; }

    [Required]
    [Description("Running, Succeeded, Failed, Skipped or RolledBack.")]
    public StepResult Result { get; set; }

    [MaxLength(4096)]
    [Description("Human-readable detail, e.g. the NVMe status of a failed command.")]
    public string? Message { get; set; }
}

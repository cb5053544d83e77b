using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>The agent's answer to one <see cref="NodeOperation"/>.</summary>
[Description("Result of one requested operation.")]
public sealed class NodeOperationResult
{
    [Required]
    [Pattern(ApiPatterns.Dns1123Label)]
    [MaxLength(ApiPatterns.Dns1123LabelMaxLength)]
    [Description("The id of the spec.operations entry this answers.")]
    public string Id { get; set; } = "";

    [Required]
    [Description("The operation's type, echoed.")]
    public NodeOperationType Type { get; set; }

    [Required]
    [Description("Running, Succeeded or Failed.")]
    public OperationState State { get; set; }

    [MaxLength(128)]
    [Description("CamelCase reason when Failed, e.g. NvmeStatus, DigestMismatch, NotOwner.")]
    public string? Reason { get; set; }

    [MaxLength(4096)]
    [Description("Human-readable detail.")]
    public string? Message { get; set; }

    [Minimum(0)]
    [Description("SaveState: size of the controller state written to the Secret.")]
    public long? StateSizeBytes { get; set; }

    [Pattern(ApiPatterns.Sha256)]
    [Description("SaveState: SHA-256 of the state written; RestoreState: of the state verified and written.")]
    public string? StateSha256 { get; set; }

    [Description("When the agent started the operation.")]
    public DateTime? StartedAt { get; set; }

    [Description("When the operation reached Succeeded or Failed.")]
    public DateTime? FinishedAt { get; set; }

    [Description("When the agent first had what the operation needs (its clock): the start of the sync that first read the request, or for a RestoreState with stateFrom when the source's SaveState result reached it. Trace of the critical section.")]
    public DateTime? SeenAt { get; set; }

    [Description("When the agent sent the first status write that carried this result as Succeeded or Failed (its clock). Trace of the critical section.")]
    public DateTime? ReportedAt { get; set; }
}

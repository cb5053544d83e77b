using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>One requested migration operation on one VF; idempotent by <see cref="Id"/>.</summary>
[Description("A migration operation requested of the agent. The agent performs each id at most once and reports it in status.operationResults.")]
[ValidationRule("!(self.type in ['SaveState', 'RestoreState']) || has(self.secretName)", "secretName is required for SaveState and RestoreState", FieldPath = ".secretName")]
[ValidationRule("self.type != 'RestoreState' || has(self.expectedSha256) || has(self.stateFrom)", "expectedSha256 or stateFrom is required for RestoreState", FieldPath = ".expectedSha256")]
[ValidationRule("!has(self.stateFrom) || self.type == 'RestoreState'", "stateFrom is only for RestoreState", FieldPath = ".stateFrom")]
[ValidationRule("!has(self.after) || self.after != self.id", "an operation cannot wait for itself", FieldPath = ".after")]
[ValidationRule("self == oldSelf", "an operation is immutable once requested; request a new id instead")]
public sealed class NodeOperation
{
    [Required]
    [Pattern(ApiPatterns.Dns1123Label)]
    [MaxLength(ApiPatterns.Dns1123LabelMaxLength)]
    [Description("Unique id of the request (the operator uses <migration uid prefix>-<step>), matched by status.operationResults[].id.")]
    public string Id { get; set; } = "";

    [Required]
    [Description("What to do.")]
    public NodeOperationType Type { get; set; }

    [Required]
    [Pattern(ApiPatterns.PciAddress)]
    [Description("PCI address of the VF the operation acts on.")]
    public string VfAddress { get; set; } = "";

    [Required]
    [Pattern(ApiPatterns.Uid)]
    [Description("UID of the NvmeMigration requesting it; the VF must be held by the same owner.")]
    public string OwnerUid { get; set; } = "";

    [Pattern(ApiPatterns.Dns1123Subdomain)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Secret that receives (SaveState) or provides (RestoreState) the controller state.")]
    public string? SecretName { get; set; }

    [Pattern(ApiPatterns.Dns1123Label)]
    [MaxLength(ApiPatterns.Dns1123LabelMaxLength)]
    [Description("Namespace of secretName (the NvmeMigration's namespace).")]
    public string? SecretNamespace { get; set; }

    [Pattern(ApiPatterns.Dns1123Label)]
    [MaxLength(ApiPatterns.Dns1123LabelMaxLength)]
    [Description("Id of an operation on this node that must have Succeeded before this one runs; until then this one waits without a result. Lets the operator request consecutive steps in one write (SaveState after Suspend, Resume after RestoreState).")]
    public string? After { get; set; }

    [Pattern(ApiPatterns.Sha256)]
    [Description("SHA-256 (lower-case hex) the state must have before it is written to the destination controller.")]
    public string? ExpectedSha256 { get; set; }

    [Description("RestoreState requested ahead of the state (DESIGN §4.1): the SaveState operation on the source node. The agent waits, without a result, until that node's status reports it Succeeded, then verifies the Secret against the SHA-256 it reported and restores, without an operator round trip.")]
    public OperationReference? StateFrom { get; set; }
}

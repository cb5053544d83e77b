using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Names an operation requested on another node, whose result an operation on this node waits for.</summary>
[Description("An operation requested of another node's agent, by node and id.")]
public sealed class OperationReference
{
    [Required]
    [Pattern(ApiPatterns.NodeName)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("The node (NvmeNode name) whose status.operationResults answers the operation.")]
    public string Node { get; set; } = "";

    [Required]
    [Pattern(ApiPatterns.Dns1123Label)]
    [MaxLength(ApiPatterns.Dns1123LabelMaxLength)]
    [Description("The operation's id on that node.")]
    public string OperationId { get; set; } = "";
}

using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>The VF a migration starts from.</summary>
[Description("The source VF.")]
public sealed class MigrationSource
{
    [Required]
    [Pattern(ApiPatterns.NodeName)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Node that holds the source VF.")]
    public string Node { get; set; } = "";

    [Pattern(ApiPatterns.PciAddress)]
    [Description("PCI address of the source VF (DDDD:BB:DD.F); optional when vmiName is set.")]
    public string? VfAddress { get; set; }
}

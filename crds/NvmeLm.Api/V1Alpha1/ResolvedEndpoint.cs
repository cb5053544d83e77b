using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>A migration end resolved against live inventory.</summary>
[Description("A migration end resolved against the node's inventory.")]
public sealed class ResolvedEndpoint
{
    [Required]
    [Pattern(ApiPatterns.NodeName)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Node.")]
    public string Node { get; set; } = "";

    [Pattern(ApiPatterns.PciAddress)]
    [Description("PF (primary controller) PCI address.")]
    public string? PfAddress { get; set; }

    [Pattern(ApiPatterns.PciAddress)]
    [Description("VF (secondary controller) PCI address.")]
    public string? VfAddress { get; set; }

    [Minimum(0)]
    [Maximum(65535)]
    [Description("Secondary controller id (SCID).")]
    public int? Scid { get; set; }

    [Minimum(0)]
    [Maximum(65535)]
    [Description("VF number (VFN).")]
    public int? VfNumber { get; set; }

    [Minimum(0)]
    [Description("IOMMU group of the VF.")]
    public int? IommuGroup { get; set; }
}

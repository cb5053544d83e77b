using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Where a migration goes; the operator picks a compatible free VF when none is named.</summary>
[Description("The destination node and, optionally, the PF or VF to use there.")]
public sealed class MigrationDestination
{
    [Required]
    [Pattern(ApiPatterns.NodeName)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Destination node.")]
    public string Node { get; set; } = "";

    [Pattern(ApiPatterns.PciAddress)]
    [Description("PF to take a free secondary controller from; absent lets the operator choose a compatible PF.")]
    public string? PfAddress { get; set; }

    [Pattern(ApiPatterns.PciAddress)]
    [Description("Exact destination VF; it must be a free Pool VF.")]
    public string? VfAddress { get; set; }
}

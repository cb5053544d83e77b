using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Desired layout of one PF: VF count and per-secondary resources, driver and role.</summary>
[Description("Desired layout of one NVMe PF (primary controller).")]
[ValidationRule("!has(self.secondaries) || self.secondaries.all(s, s.vfNumber <= self.numVfs)", "every secondaries[].vfNumber must be at most numVfs", FieldPath = ".secondaries")]
public sealed class PhysicalFunctionSpec
{
    [Required]
    [Pattern(ApiPatterns.PciAddress)]
    [Description("PCI address of the PF (DDDD:BB:DD.F, lower-case hex).")]
    public string Address { get; set; } = "";

    [Required]
    [Minimum(0)]
    [Maximum(255)]
    [Description("Number of VFs to enable (sriov_numvfs); 0 disables SR-IOV on the PF.")]
    public int NumVfs { get; set; }

    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Name of the NvmeVfPool this layout was rendered from.")]
    public string? Pool { get; set; }

    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Extended resource name the device plugin advertises this PF's Pool VFs under.")]
    public string? ResourceName { get; set; }

    [ListMap("vfNumber")]
    [MaxItems(255)]
    [Description("Per secondary controller settings, keyed by VF number; VFs not listed get the device's defaults and stay unbound.")]
    public IList<SecondaryControllerSpec>? Secondaries { get; set; }
}

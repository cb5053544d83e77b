using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Selects NVMe PFs on a node; every field that is set must match (AND).</summary>
[Description("Selects NVMe PFs (primary controllers); every field that is set must match.")]
[ValidationRule("has(self.vendorId) || has(self.deviceId) || has(self.model) || has(self.serial) || has(self.pfAddresses)", "controllerSelector must set at least one field; omit it to select every PF that supports Virtualization Management")]
public sealed class ControllerSelector
{
    [Pattern(ApiPatterns.PciId)]
    [Description("PCI vendor id as sysfs prints it, e.g. 0x1b36.")]
    public string? VendorId { get; set; }

    [Pattern(ApiPatterns.PciId)]
    [Description("PCI device id as sysfs prints it, e.g. 0x0010.")]
    public string? DeviceId { get; set; }

    [MaxLength(40)]
    [Description("Model number (Identify Controller MN, trailing spaces trimmed).")]
    public string? Model { get; set; }

    [MaxLength(20)]
    [Description("Serial number (Identify Controller SN, trailing spaces trimmed).")]
    public string? Serial { get; set; }

    [ListSet]
    [MinItems(1)]
    [MaxItems(64)]
    [Pattern(ApiPatterns.PciAddress)]
    [Description("Explicit PF PCI addresses (DDDD:BB:DD.F, lower-case hex).")]
    public IList<string>? PfAddresses { get; set; }
}

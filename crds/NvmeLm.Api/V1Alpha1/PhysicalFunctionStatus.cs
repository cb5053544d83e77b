using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Inventory of one PF as the agent read it from sysfs and Identify.</summary>
[Description("Inventory of one NVMe PF: PCI identity, Identify Controller fields, capabilities and secondary controllers.")]
public sealed class PhysicalFunctionStatus
{
    [Required]
    [Pattern(ApiPatterns.PciAddress)]
    [Description("PCI address of the PF.")]
    public string Address { get; set; } = "";

    [Pattern(ApiPatterns.PciId)]
    [Description("PCI vendor id (sysfs vendor).")]
    public string? VendorId { get; set; }

    [Pattern(ApiPatterns.PciId)]
    [Description("PCI device id (sysfs device).")]
    public string? DeviceId { get; set; }

    [MaxLength(40)]
    [Description("Model number (Identify Controller MN).")]
    public string? Model { get; set; }

    [MaxLength(20)]
    [Description("Serial number (Identify Controller SN).")]
    public string? Serial { get; set; }

    [MaxLength(8)]
    [Description("Firmware revision (Identify Controller FR).")]
    public string? Firmware { get; set; }

    [MaxLength(32)]
    [Description("Kernel controller device name, e.g. nvme0.")]
    public string? ControllerDevice { get; set; }

    [Pattern(ApiPatterns.DriverName)]
    [Description("Driver bound to the PF (normally nvme).")]
    public string? Driver { get; set; }

    [Minimum(0)]
    [Maximum(65535)]
    [Description("sriov_totalvfs: the most VFs the PF can enable.")]
    public int TotalVfs { get; set; }

    [Minimum(0)]
    [Maximum(65535)]
    [Description("sriov_numvfs: VFs currently enabled.")]
    public int NumVfs { get; set; }

    [Description("sriov_drivers_autoprobe; the agent keeps it false so new VFs are not grabbed by nvme.")]
    public bool? DriversAutoprobe { get; set; }

    [Description("Capabilities relevant to VF provisioning and live migration.")]
    public ControllerCapabilities? Capabilities { get; set; }

    [Description("Primary Controller Capabilities (Identify CNS 0x14).")]
    public PrimaryControllerCapabilities? Primary { get; set; }

    [ListMap("scid")]
    [MaxItems(127)]
    [Description("Secondary Controller List (Identify CNS 0x15) joined with each VF's PCI address, driver and IOMMU group.")]
    public IList<SecondaryControllerStatus>? Secondaries { get; set; }
}

using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>One entry of Identify CNS 0x15 joined with its VF's sysfs facts and its role.</summary>
[Description("One secondary controller (VF) as the agent sees it.")]
public sealed class SecondaryControllerStatus
{
    [Required]
    [Minimum(0)]
    [Maximum(65535)]
    [Description("SCID: secondary controller id.")]
    public int Scid { get; set; }

    [Minimum(0)]
    [Maximum(65535)]
    [Description("VFN: VF number (1-based); 0 when the secondary is not associated with a VF.")]
    public int VfNumber { get; set; }

    [Description("SCS bit 0: the secondary controller is online.")]
    public bool Online { get; set; }

    [Minimum(0)]
    [Maximum(65535)]
    [Description("NVQ: flexible VQ resources assigned.")]
    public int Queues { get; set; }

    [Minimum(0)]
    [Maximum(65535)]
    [Description("NVI: flexible VI resources assigned.")]
    public int Interrupts { get; set; }

    [Pattern(ApiPatterns.PciAddress)]
    [Description("PCI address of the VF (virtfn(VFN-1)); absent while the VF is not enabled.")]
    public string? VfAddress { get; set; }

    [Pattern(ApiPatterns.DriverName)]
    [Description("Driver bound to the VF; absent when unbound.")]
    public string? Driver { get; set; }

    [Minimum(0)]
    [Description("IOMMU group of the VF (/dev/vfio/<group> once bound to a VFIO driver).")]
    public int? IommuGroup { get; set; }

    [Description("The role the agent applied (Pool, MigrationSource, ResumeTarget).")]
    public SecondaryRole? Role { get; set; }

    [Pattern(ApiPatterns.Uid)]
    [Description("UID of the NvmeMigration holding the VF.")]
    public string? OwnerUid { get; set; }

    [Description("Whether the VF can take part in a live migration now (online, primary has HMLMS, VFIO-bound).")]
    public bool Migratable { get; set; }

    [Description("Whether the controller is suspended (Migration Send, Suspend).")]
    public bool Suspended { get; set; }

    [MaxItems(16)]
    [Description("Containers the kubelet allocated this VF to through the agent's device plugin (kubelet PodResources API); absent when free.")]
    public IList<PodAllocation>? AllocatedTo { get; set; }
}

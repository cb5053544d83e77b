using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Desired state of one secondary controller (VF): flexible resources, driver and role.</summary>
[Description("Desired state of one secondary controller (VF).")]
[ValidationRule("self.role == 'Pool' || has(self.ownerUid)", "ownerUid is required when role is MigrationSource or ResumeTarget", FieldPath = ".ownerUid")]
[ValidationRule("!has(self.queues) || self.queues >= 2", "queues must be at least 2 (one admin and one I/O queue) when set", FieldPath = ".queues")]
public sealed class SecondaryControllerSpec
{
    [Required]
    [Minimum(1)]
    [Maximum(255)]
    [Description("VF number (VFN, 1-based; VF n is the PF's virtfn(n-1)).")]
    public int VfNumber { get; set; }

    [Minimum(1)]
    [Maximum(65535)]
    [Description("Flexible VQ resources to assign (NVQ); at least 2 when set.")]
    public int? Queues { get; set; }

    [Minimum(1)]
    [Maximum(65535)]
    [Description("Flexible VI resources to assign (NVI).")]
    public int? Interrupts { get; set; }

    [Pattern(ApiPatterns.DriverName)]
    [Description("Driver to bind the VF to (e.g. vfio-pci); absent leaves the VF unbound.")]
    public string? Driver { get; set; }

    [Default(nameof(SecondaryRole.Pool))]
    [Description("Pool: free for pods. MigrationSource / ResumeTarget: held by the NvmeMigration named by ownerUid (allow-migrate / allow-resume).")]
    public SecondaryRole Role { get; set; } = SecondaryRole.Pool;

    [Pattern(ApiPatterns.Uid)]
    [Description("UID of the NvmeMigration that holds this VF when role is not Pool.")]
    public string? OwnerUid { get; set; }

    [Description("True while a stateTransfer: Vmm migration holds this VF as ResumeTarget: the node's device plugin advertises it Healthy and offers it first, so KubeVirt's migration target pod is allocated exactly this VF.")]
    public bool? HandToTargetPod { get; set; }
}

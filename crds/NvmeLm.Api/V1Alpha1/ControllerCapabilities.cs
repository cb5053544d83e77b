using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Capability bits of a primary controller (Identify Controller OACS, Identify CNS 0x20).</summary>
[Description("Capabilities of the primary controller that decide whether its VFs can be provisioned and migrated.")]
public sealed class ControllerCapabilities
{
    [Description("Virtualization Management (flexible resources, secondary online/offline) is supported: OACS bit 7, or, where the controller leaves that bit clear (QEMU before 10.0), a successful Identify CNS 0x14 whose CRT reports VQ or VI resources.")]
    public bool VirtualizationManagement { get; set; }

    [Description("OACS bit 11 (HMLMS): host-managed live migration (Migration Send/Receive).")]
    public bool HostManagedLiveMigration { get; set; }

    [ListSet]
    [MaxItems(255)]
    [Description("Supported controller state format versions (Identify CNS 0x20 VERS).")]
    public IList<int>? StateFormatVersions { get; set; }

    [ListSet]
    [MaxItems(127)]
    [Pattern(ApiPatterns.Uuid)]
    [Description("Vendor-specific controller state format UUIDs (Identify CNS 0x20 UUID).")]
    public IList<string>? StateFormatUuids { get; set; }
}

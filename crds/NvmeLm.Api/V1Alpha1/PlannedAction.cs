using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>One host action a migration will perform, published before acting (Plan mode, DESIGN §3).</summary>
[Description("A host action the migration will perform.")]
public sealed class PlannedAction
{
    [Required]
    [Minimum(1)]
    [Description("Position in the plan, 1-based.")]
    public int Order { get; set; }

    [Required]
    [Pattern(ApiPatterns.NodeName)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Node the action runs on.")]
    public string Node { get; set; } = "";

    [Required]
    [MaxLength(64)]
    [Description("Action, e.g. SetNumVfs, AssignResources, OnlineSecondary, BindVfio, AllowResume, AllowMigrate, Suspend, SaveState, RestoreState, Resume, Release.")]
    public string Action { get; set; } = "";

    [Pattern(ApiPatterns.PciAddress)]
    [Description("PCI address (PF or VF) the action touches.")]
    public string? Target { get; set; }

    [MaxLength(1024)]
    [Description("What exactly changes, e.g. 'sriov_numvfs 0 -> 4' or 'driver nvme -> vfio-pci'.")]
    public string? Detail { get; set; }

    [Description("Whether the action disturbs a device that is in use (it would be refused in Apply mode).")]
    public bool Disruptive { get; set; }
}

namespace NvmeLm.Hardware.Journal;

/// <summary>
/// What the agent did to one secondary controller (SCID) of a PF and for whom. Only facts the agent itself
/// established are recorded; the hardware stays the source of truth for everything else.
/// </summary>
public sealed record VfJournalEntry
{
    public required int Scid { get; init; }

    /// <summary>Virtual function number from CNS 0x15 (1-based, virtfn index + 1 as verified against sysfs).</summary>
    public int Vfn { get; init; }

    /// <summary>The VF's PCI address once the VF exists, e.g. <c>0000:01:00.1</c>.</summary>
    public string? Address { get; init; }

    /// <summary>Who this controller is locked to (allow-migrate / allow-resume); null = not locked.</summary>
    public string? Owner { get; init; }

    public VfRole Role { get; init; }

    public VfProgress Progress { get; init; }

    /// <summary>True once the agent set out to assign flexible resources (Virtualization Management ACT 8); set with the intent.</summary>
    public bool ResourcesAssignedByAgent { get; init; }

    /// <summary>True once the agent set out to set it online (ACT 9); release sets it offline only then (and only if online).</summary>
    public bool OnlinedByAgent { get; init; }

    /// <summary>The driver the VF had before the agent first rebound it (null = no driver).</summary>
    public string? OriginalDriver { get; init; }

    /// <summary>The VF's <c>driver_override</c> before the agent first changed it (null = none).</summary>
    public string? OriginalDriverOverride { get; init; }

    /// <summary>True once the agent changed the VF's driver binding.</summary>
    public bool DriverChangedByAgent { get; init; }

    /// <summary>The driver the agent bound it to.</summary>
    public string? BoundDriver { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the controller state saved from this controller.</summary>
    public string? SavedStateSha256 { get; init; }

    /// <summary>SHA-256 of the controller state written to this controller (so a repeated restore is a no-op).</summary>
    public string? RestoredStateSha256 { get; init; }

    /// <summary>
    /// SHA-256 of the controller state a migration restored and resumed here and left running when it handed the VF
    /// back: the VF runs a VM's controller. A RestoreState or a destination's Resume over it is refused
    /// (<see cref="Steps.OccupiedVfGuard"/>); cleared only when the VF is reset (<see cref="Steps.ReleaseStep"/> forgets
    /// the entry) or its controller moves away again.
    /// </summary>
    public string? HostedStateSha256 { get; init; }
}

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// A PCI driver loaded on the emulated host (<c>/sys/bus/pci/drivers/&lt;name&gt;</c>).
/// <c>nvme</c> matches NVMe functions by class (0x010802); every other driver matches only through
/// <c>driver_override</c> or its <see cref="MatchIds"/> (as vfio-pci and variant drivers do, reference §1, §5).
/// </summary>
public sealed class EmulatedDriverConfig
{
    public string Name { get; set; } = "";

    /// <summary>A VFIO driver: binding it creates <c>/dev/vfio/&lt;group&gt;</c>.</summary>
    public bool Vfio { get; set; }

    /// <summary>VFIO migration flags a variant driver reports (reference §5); plain vfio-pci has none.</summary>
    public IReadOnlyList<string> MigrationFlags { get; set; } = [];

    /// <summary>Static id table entries <c>vvvv:dddd</c> (lower-case hex) the driver matches without an override.</summary>
    public IReadOnlyList<string> MatchIds { get; set; } = [];

    /// <summary>Whether the driver implements <c>.sriov_configure</c>; defaults to true for <c>nvme</c> only.</summary>
    public bool? SriovConfigure { get; set; }
}

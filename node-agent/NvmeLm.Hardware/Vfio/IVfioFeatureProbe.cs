namespace NvmeLm.Hardware.Vfio;

/// <summary>
/// Asks a VFIO-bound device which migration features its driver implements, through
/// <c>VFIO_DEVICE_FEATURE</c> with <c>PROBE|GET</c> on feature 1 (<c>VFIO_DEVICE_FEATURE_MIGRATION</c>),
/// reference §5. Plain <c>vfio-pci</c> has no migration feature; variant drivers report their flags.
/// </summary>
public interface IVfioFeatureProbe
{
    /// <summary>The device's VFIO migration flags, or <see cref="VfioMigrationFlags.None"/> if the feature is absent (ENOTTY/EINVAL from PROBE).</summary>
    VfioMigrationFlags ProbeMigration(PciAddress device, int iommuGroup);
}

/// <summary><c>VFIO_MIGRATION_*</c> flags from <c>include/uapi/linux/vfio.h</c> (reference §5).</summary>
[Flags]
public enum VfioMigrationFlags : ulong
{
    None = 0,
    /// <summary>STOP, STOP_COPY and RESUMING; mandatory when the migration feature exists.</summary>
    StopCopy = 1 << 0,
    /// <summary>RUNNING_P2P.</summary>
    P2P = 1 << 1,
    /// <summary>PRE_COPY (and PRE_COPY_P2P with P2P).</summary>
    PreCopy = 1 << 2,
}

using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// VFIO_DEVICE_FEATURE PROBE of the migration feature on the emulated host (reference §5): the flags of the
/// variant driver the device is bound to; plain vfio-pci has none. A device that does not exist → ENOENT;
/// one not bound to a vfio driver, or a group that is not its group → ENODEV (no VFIO device to ask).
/// </summary>
internal sealed class EmulatedVfioFeatureProbe : IVfioFeatureProbe
{
    private readonly EmulatedHost _host;

    public EmulatedVfioFeatureProbe(EmulatedHost host)
    {
        _host = host;
    }

    public VfioMigrationFlags ProbeMigration(PciAddress device, int iommuGroup) => _host.ProbeVfioMigration(device, iommuGroup);
}

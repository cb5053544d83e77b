using System.Globalization;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware.Emulated;

public sealed partial class EmulatedHost
{
    internal VfioMigrationFlags ProbeVfioMigration(PciAddress device, int iommuGroup)
    {
        string path = "/dev/vfio/" + iommuGroup.ToString(CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (FindFunctionLocked(device) is not { } function)
            {
                throw new HostIoException(Errnos.ENOENT, path, $"VFIO_DEVICE_FEATURE probe of {device}");
            }

            if (function.Driver is not { } name || !_drivers[name].Vfio || function.IommuGroup != iommuGroup)
            {
                throw new HostIoException(Errnos.ENODEV, path, $"VFIO_DEVICE_FEATURE probe of {device}");
            }

            var flags = VfioMigrationFlags.None;
            foreach (string flag in _drivers[name].MigrationFlags)
            {
                flags |= Enum.Parse<VfioMigrationFlags>(flag, ignoreCase: true);
            }

            return flags;
        }
    }
}

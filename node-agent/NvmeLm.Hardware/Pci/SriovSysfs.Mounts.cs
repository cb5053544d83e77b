using NvmeLm.Hardware.Host;
using static NvmeLm.Hardware.Pci.SysfsPaths;

namespace NvmeLm.Hardware.Pci;

public sealed partial class SriovSysfs
{
    private const string DevPrefix = "/dev/";
    private const string DevDiskPrefix = "/dev/disk/";

    /// <summary>
    /// The namespace block devices (<c>nvmeXnY</c>) of an NVMe function's controller, from the entries of
    /// <c>&lt;dev&gt;/nvme/nvmeN/</c>; a native-multipath path node <c>nvmeXcYnZ</c> maps to its head <c>nvmeXnZ</c>.
    /// </summary>
    public IReadOnlyList<string> ReadNamespaceBlockDevices(PciAddress address)
    {
        string? controller = ReadControllerName(address);
        if (controller is null)
        {
            return [];
        }

        return _files.ListDirectory($"{DeviceAttribute(address, NvmeClassDirectory)}/{controller}")
            .Select(NvmeNames.NamespaceBlockDevice)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Mounts (from <c>/proc/mounts</c>) of any namespace of this function's controller or a partition of one
    /// (<c>/dev/nvme0n1</c>, <c>/dev/nvme0n1p2</c>; <c>/dev/disk/…</c> links are resolved one level). The safety
    /// checks refuse to reconfigure a function while this is non-empty. Stacked devices (dm, md) are not followed.
    /// </summary>
    public IReadOnlyList<MountEntry> FindMountedNamespaces(PciAddress address)
    {
        var devices = ReadNamespaceBlockDevices(address);
        if (devices.Count == 0)
        {
            return [];
        }

        return MountTable.Read(_files)
            .Where(mount => ResolveBlockDeviceName(mount.Source) is { } name && devices.Any(device => IsDeviceOrPartition(name, device)))
            .ToArray();
    }

    internal static bool IsDeviceOrPartition(string name, string device) =>
        name == device
        || (name.Length > device.Length + 1
            && name.StartsWith(device, StringComparison.Ordinal)
            && name[device.Length] == 'p'
            && name.AsSpan(device.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0);

    private string? ResolveBlockDeviceName(string source)
    {
        if (!source.StartsWith(DevPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        if (source.StartsWith(DevDiskPrefix, StringComparison.Ordinal) && !source.Split('/').Contains(".."))
        {
            try
            {
                string? target = _files.ReadLink(source);
                if (target is not null)
                {
                    return target.Split('/')[^1];
                }
            }
            catch (HostIoException)
            {
                // A stale by-uuid link cannot name a mounted device; fall through to the plain name.
            }
        }

        return source.Split('/')[^1];
    }
}

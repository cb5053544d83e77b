using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Pci;

namespace NvmeLm.Hardware.Safety;

/// <summary>
/// Which namespaces of a PCI function's NVMe controller are in use: mounted (<see cref="SriovSysfs.FindMountedNamespaces"/>,
/// partitions included) or held by another block device (<c>/sys/block/&lt;ns&gt;/holders</c>: LVM, md, dm-crypt),
/// which a mount check alone misses.
/// </summary>
public sealed class NamespaceUsage
{
    private const string SysBlock = "/sys/block";

    private readonly IHostFileSystem _files;
    private readonly SriovSysfs _sysfs;

    public NamespaceUsage(IHostFileSystem files, SriovSysfs sysfs)
    {
        _files = files;
        _sysfs = sysfs;
    }

    /// <summary>One line per use, e.g. <c>/dev/nvme0n1p1 mounted on /data</c>; empty when nothing uses them.</summary>
    public IReadOnlyList<string> FindUses(PciAddress device)
    {
        var uses = new List<string>();
        foreach (MountEntry mount in _sysfs.FindMountedNamespaces(device))
        {
            uses.Add($"{mount.Source} mounted on {mount.MountPoint}");
        }

        foreach (string ns in _sysfs.ReadNamespaceBlockDevices(device))
        {
            foreach (string holder in ListOrEmpty($"{SysBlock}/{ns}/holders"))
            {
                uses.Add($"/dev/{ns} held by /dev/{holder}");
            }
        }

        return uses;
    }

    private IReadOnlyList<string> ListOrEmpty(string path)
    {
        try
        {
            return _files.ListDirectory(path);
        }
        catch (HostIoException ex) when (ex.Errno == Errnos.ENOENT)
        {
            return [];
        }
    }
}

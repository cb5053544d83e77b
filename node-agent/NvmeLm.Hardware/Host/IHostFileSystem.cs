namespace NvmeLm.Hardware.Host;

/// <summary>
/// The host files the agent reads and writes: <c>/sys</c> (PCI, SR-IOV, drivers, IOMMU groups),
/// <c>/dev</c> (existence of <c>/dev/vfio/N</c>, <c>/dev/nvmeN</c>) and <c>/proc/mounts</c>.
/// Paths are always absolute host paths as the kernel documents them (e.g.
/// <c>/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs</c>); the Linux implementation maps them under a
/// configurable root (production <c>/</c>, tests a temp dir) and the emulated host answers them in memory
/// with the kernel's rules. So the SR-IOV code above this seam is the same for both.
/// Every failure is a <see cref="HostIoException"/> carrying the errno the kernel would return.
/// </summary>
public interface IHostFileSystem
{
    bool Exists(string path);

    /// <summary>Reads a whole attribute file; sysfs values keep their trailing newline, callers trim.</summary>
    string ReadAllText(string path);

    /// <summary>Writes a whole attribute, as <c>echo -n value &gt; path</c> would (one write call).</summary>
    void WriteAllText(string path, string value);

    /// <summary>The link target exactly as stored (usually relative, e.g. <c>../../../kernel/iommu_groups/6</c>), or null if not a link.</summary>
    string? ReadLink(string path);

    /// <summary>Entry names (not paths) in a directory; throws ENOENT if it does not exist.</summary>
    IReadOnlyList<string> ListDirectory(string path);
}

using Tmds.Linux;
using static NvmeLm.Hardware.Interop.Interop;

namespace NvmeLm.Hardware.Host;

/// <summary>Directory entries that survive a power cut: for <see cref="AtomicFileWriter"/> and <see cref="SlottedFileWriter"/>.</summary>
internal static class DurableDirectory
{
    /// <summary>
    /// Creates <paramref name="directory"/> (and missing parents) and syncs each new entry into its parent, so a record
    /// written into a directory that a power cut then forgets is not lost with it.
    /// </summary>
    public static void Create(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        var missing = new Stack<string>();
        for (string? d = directory; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
        {
            missing.Push(d);
        }

        Directory.CreateDirectory(directory);
        foreach (string created in missing)
        {
            Sync(Path.GetDirectoryName(created)!);
        }
    }

    /// <summary>
    /// fsync(2) on the directory itself (opened read-only with O_DIRECTORY). EINVAL, "fd is bound to a special file
    /// which does not support synchronization" (man 2 fsync), comes from filesystems that cannot sync a directory
    /// (some FUSE ones): there is nothing more to do there, as PostgreSQL's fsync_fname also concludes.
    /// </summary>
    public static void Sync(string directory)
    {
        using var fd = Open(directory, directory, LibC.O_RDONLY | LibC.O_DIRECTORY, "open directory");
        try
        {
            Fsync(fd, directory);
        }
        catch (HostIoException e) when (e.Errno == Errnos.EINVAL)
        {
            // See above: the directory's filesystem does not sync directories.
        }
    }
}

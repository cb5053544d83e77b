namespace NvmeLm.Hardware;

/// <summary>
/// A host I/O call failed with an errno: a sysfs read/write, an open, or an ioctl that returned -1.
/// This is the transport failure kind; an NVMe status returned by a completed command is a
/// <c>NvmeCommandException</c> instead (reference §2: positive ioctl return = NVMe status).
/// </summary>
public sealed class HostIoException : NvmeLmException
{
    public HostIoException(int errno, string path, string operation, Exception? inner = null)
        : base(FormatMessage(errno, path, operation), inner)
    {
        Errno = errno;
        Path = path;
        Operation = operation;
    }

    /// <summary>The Linux errno value (e.g. 16 EBUSY, 34 ERANGE, 2 ENOENT).</summary>
    public int Errno { get; }
    public string Path { get; }
    /// <summary>What was attempted, e.g. <c>write "4"</c>, <c>read</c>, <c>ioctl NVME_IOCTL_ADMIN_CMD</c>.</summary>
    public string Operation { get; }

    private static string FormatMessage(int errno, string path, string operation) =>
        $"{operation} on {path} failed: {Errnos.Name(errno)} ({errno})";
}

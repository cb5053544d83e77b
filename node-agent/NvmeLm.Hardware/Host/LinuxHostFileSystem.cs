using System.Text;

namespace NvmeLm.Hardware.Host;

/// <summary>
/// <see cref="IHostFileSystem"/> on the real host: absolute host paths (<c>/sys/…</c>, <c>/dev/…</c>,
/// <c>/proc/…</c>) are mapped under <see cref="Root"/> (<c>/</c> in production, a temp directory in tests,
/// like SNO's <c>FilesystemRoot</c>). Every failure becomes a <see cref="HostIoException"/> with the errno.
/// Writes go through libc (exact errno): open the existing file (<c>O_WRONLY|O_TRUNC</c>, never create: a sysfs
/// attribute that does not exist is ENOENT) and issue one write, like <c>echo -n value &gt; path</c>.
/// </summary>
public sealed class LinuxHostFileSystem : IHostFileSystem
{
    /// <summary>
    /// How long a sysfs write may block. Driver callbacks behind <c>sriov_numvfs</c> or <c>bind</c> can hang
    /// (SNO bounds them the same way); the blocked thread cannot be cancelled and is abandoned.
    /// </summary>
    public static readonly TimeSpan SysfsWriteTimeout = TimeSpan.FromMinutes(2);

    private readonly TimeSpan _writeTimeout;
    private readonly HostRoot _root;

    public LinuxHostFileSystem(string root, TimeSpan? writeTimeout = null)
    {
        _root = new HostRoot(root);
        _writeTimeout = writeTimeout ?? SysfsWriteTimeout;
    }

    /// <summary>The directory host paths are mapped under ("/" means the paths are used as they are).</summary>
    public string Root => _root.Directory;

    public bool Exists(string path)
    {
        string mapped = Map(path);
        // A dangling symlink counts as existing: sysfs links are checked with ReadLink, not followed.
        return File.Exists(mapped) || Directory.Exists(mapped) || new FileInfo(mapped).LinkTarget is not null;
    }

    public string ReadAllText(string path)
    {
        string mapped = Map(path);
        try
        {
            return File.ReadAllText(mapped, Encoding.ASCII);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw HostIoErrors.Map(ex, path, "read");
        }
    }

    public void WriteAllText(string path, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string mapped = Map(path);
        string operation = $"write '{Printable(value)}'";
        var write = Task.Factory.StartNew(() => WriteOnce(path, mapped, value, operation), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        bool completed;
        try
        {
            completed = write.Wait(_writeTimeout);
        }
        catch (AggregateException ex) when (ex.InnerException is not null)
        {
            throw HostIoErrors.Map(ex.InnerException, path, operation);
        }

        if (!completed)
        {
            // Observe a late failure so it does not surface as an unobserved task exception.
            write.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            throw new HostIoException(Errnos.ETIMEDOUT, path, $"{operation} (no answer within {_writeTimeout.TotalSeconds:0.###} s)");
        }
    }

    public string? ReadLink(string path)
    {
        string mapped = Map(path);
        try
        {
            var info = new FileInfo(mapped);
            string? target = info.LinkTarget;
            if (target is null && !info.Exists && !Directory.Exists(mapped))
            {
                throw new HostIoException(Errnos.ENOENT, path, "readlink");
            }

            return target;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw HostIoErrors.Map(ex, path, "readlink");
        }
    }

    public IReadOnlyList<string> ListDirectory(string path)
    {
        string mapped = Map(path);
        try
        {
            return Directory.EnumerateFileSystemEntries(mapped).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw HostIoErrors.Map(ex, path, "list");
        }
    }

    /// <summary>Maps an absolute host path under the root; refuses relative paths, <c>..</c> segments and NUL.</summary>
    internal string Map(string path) => _root.Map(path);

    private static void WriteOnce(string hostPath, string mapped, string value, string operation)
    {
        using var fd = Interop.Interop.Open(hostPath, mapped, Tmds.Linux.LibC.O_WRONLY | Tmds.Linux.LibC.O_TRUNC, operation);
        Interop.Interop.WriteAll(fd, Encoding.ASCII.GetBytes(value), hostPath, operation);
    }

    private static string Printable(string value) => value.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
}

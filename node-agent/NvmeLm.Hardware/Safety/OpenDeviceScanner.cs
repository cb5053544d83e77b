using System.Globalization;
using NvmeLm.Hardware.Host;

namespace NvmeLm.Hardware.Safety;

/// <summary>
/// Finds processes that hold a device node open by reading <c>/proc/&lt;pid&gt;/fd/*</c> links, as
/// <c>fuser</c> and <c>lsof</c> do. Why this and not something else: the kernel exposes no open count for a
/// VFIO group in sysfs, and probing by opening <c>/dev/vfio/&lt;group&gt;</c> ourselves would take the
/// group (it is single-open: a VMM starting at that moment would get EBUSY). Reading fd links is read-only.
/// Needs the host PID namespace (DaemonSet <c>hostPID: true</c>) and CAP_SYS_PTRACE-equivalent access to
/// other processes' fd directories, which root has.
/// </summary>
public sealed class OpenDeviceScanner
{
    public const string ProcRoot = "/proc";

    private readonly IHostFileSystem _files;

    public OpenDeviceScanner(IHostFileSystem files)
    {
        _files = files;
    }

    /// <summary>PIDs with an fd whose link target is one of <paramref name="devicePaths"/>.</summary>
    public IReadOnlyList<int> FindHolders(IReadOnlyCollection<string> devicePaths)
    {
        if (devicePaths.Count == 0)
        {
            return [];
        }

        var holders = new List<int>();
        foreach (string entry in _files.ListDirectory(ProcRoot))
        {
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            if (HoldsAny(pid, devicePaths))
            {
                holders.Add(pid);
            }
        }

        holders.Sort();
        return holders;
    }

    /// <summary>
    /// Whether <paramref name="pid"/> has one of <paramref name="devicePaths"/> open. A process that exited meanwhile
    /// holds nothing; an unreadable fd directory (EACCES: not root, or hidepid) is an error, because the agent
    /// cannot then prove that the device is free.
    /// </summary>
    internal bool HoldsAny(int pid, IReadOnlyCollection<string> devicePaths)
    {
        string fdDirectory = $"{ProcRoot}/{pid}/fd";
        IReadOnlyList<string> fds;
        try
        {
            fds = _files.ListDirectory(fdDirectory);
        }
        catch (HostIoException ex) when (ex.Errno == Errnos.ENOENT)
        {
            // The process exited between the two reads.
            return false;
        }

        foreach (string fd in fds)
        {
            string? target;
            try
            {
                target = _files.ReadLink($"{fdDirectory}/{fd}");
            }
            catch (HostIoException ex) when (ex.Errno == Errnos.ENOENT)
            {
                continue;
            }

            if (target is not null && devicePaths.Contains(target, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

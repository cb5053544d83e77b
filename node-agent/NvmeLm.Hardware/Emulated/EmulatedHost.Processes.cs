using System.Globalization;

namespace NvmeLm.Hardware.Emulated;

// Processes holding device nodes open, visible as /proc/<pid>/fd/<n> -> /dev/… links (what fuser/lsof read),
// so the "open VFIO group" safety refusal can be exercised.
public sealed partial class EmulatedHost
{
    private readonly Dictionary<string, SortedDictionary<int, string>> _processes = new(StringComparer.Ordinal);

    /// <summary>Process <paramref name="pid"/> opens <paramref name="devicePath"/>; ENOENT if the node does not exist. Returns the fd.</summary>
    public int OpenDeviceAs(int pid, string devicePath)
    {
        lock (_gate)
        {
            int errno = TryResolve(devicePath, followLast: true, out _, out var node);
            if (errno != 0 || node!.Kind != EmulatedNodeKind.Device)
            {
                throw new HostIoException(errno != 0 ? errno : Errnos.ENXIO, devicePath, "open");
            }

            string key = pid.ToString(CultureInfo.InvariantCulture);
            if (!_processes.TryGetValue(key, out var fds))
            {
                fds = [];
                _processes[key] = fds;
            }

            int fd = 3;
            while (fds.ContainsKey(fd))
            {
                fd++;
            }

            fds[fd] = devicePath;
            return fd;
        }
    }

    public void CloseDevice(int pid, int fd)
    {
        lock (_gate)
        {
            string key = pid.ToString(CultureInfo.InvariantCulture);
            if (_processes.TryGetValue(key, out var fds) && fds.Remove(fd) && fds.Count == 0)
            {
                _processes.Remove(key);
            }
        }
    }
}

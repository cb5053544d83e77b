using System.Diagnostics;
using System.Text;

namespace NvmeLm.Images.Tests;

/// <summary>
/// Runs an image's entrypoint from its unpacked root filesystem the way a container runtime would, without one: in a
/// private mount namespace (<c>unshare --mount</c>), the root filesystem bind-mounted read-only, <c>/proc</c> mounted
/// (CoreCLR needs it), a <c>/dev</c> with the OCI runtime spec's default devices (null, zero, full, random, urandom,
/// tty: <c>Guid.NewGuid</c> reads urandom), a tmpfs on <c>/tmp</c> and on each writable path, a clean environment, and
/// the image's user (<c>chroot --userspec</c>). The mounts vanish with the process. Needs root.
/// </summary>
internal sealed class ChrootedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChrootedProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="rootFs">The unpacked root filesystem (mount points for /proc and the writable paths are created in it).</param>
    /// <param name="user">uid:gid, as in the image config.</param>
    /// <param name="command">The entrypoint and its arguments.</param>
    /// <param name="environment">The whole environment (nothing of the test process leaks in).</param>
    /// <param name="writablePaths">Image paths that get a tmpfs owned by <paramref name="user"/> (a pod's emptyDir volumes).</param>
    public static ChrootedProcess Start(string rootFs, string user, IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> writablePaths)
    {
        string[] ids = user.Split(':');
        Directory.CreateDirectory(Path.Combine(rootFs, "proc"));
        Directory.CreateDirectory(Path.Combine(rootFs, "dev"));
        foreach (string path in writablePaths)
        {
            Directory.CreateDirectory(Path.Combine(rootFs, path.TrimStart('/')));
        }

        // $1: root filesystem, $2: uid, $3: gid, $4: number of writable paths, then the paths, then env assignments
        // up to "--", then the command.
        const string Script = """
            set -eu
            root=$1 uid=$2 gid=$3 count=$4; shift 4
            mount --bind "$root" "$root"
            mount -o remount,bind,ro "$root"
            mount -t proc proc "$root/proc"
            mount -t tmpfs -o mode=0755 tmpfs "$root/dev"
            for device in null zero full random urandom tty; do
              touch "$root/dev/$device"; mount --bind "/dev/$device" "$root/dev/$device"
            done
            mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
            while [ "$count" -gt 0 ]; do
              mount -t tmpfs -o "mode=0755,uid=$uid,gid=$gid" tmpfs "$root$1"; shift; count=$((count - 1))
            done
            envs=()
            while [ "$1" != "--" ]; do envs+=("$1"); shift; done
            shift
            exec env -i "${envs[@]}" "$(command -v chroot)" --userspec="$uid:$gid" "$root" "$@"
            """;
        var start = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["--mount", "--propagation", "private", "--fork", "--", "bash", "-c", Script, "chrooted",
                     rootFs, ids[0], ids[1], writablePaths.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. writablePaths,
                     .. environment.Select(e => $"{e.Key}={e.Value}"), "--", .. command])
        {
            start.ArgumentList.Add(argument);
        }

        return new ChrootedProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start unshare"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

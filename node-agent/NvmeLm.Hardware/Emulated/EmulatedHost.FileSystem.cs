namespace NvmeLm.Hardware.Emulated;

// IHostFileSystem: absolute host paths resolved through the emulated tree, following links like the VFS.
public sealed partial class EmulatedHost
{
    private const int EISDIR = 21;
    private const int ENOTDIR = 20;
    private const int ELOOP = 40;
    private const int MaxLinkDepth = 40;

    public bool Exists(string path)
    {
        lock (_gate)
        {
            return TryResolve(path, followLast: true, out _, out _) == 0;
        }
    }

    public string ReadAllText(string path)
    {
        lock (_gate)
        {
            var node = ResolveOrThrow(path, followLast: true, "read");
            if (node.Kind == EmulatedNodeKind.Directory)
            {
                throw new HostIoException(EISDIR, path, "read");
            }

            if (node.Kind == EmulatedNodeKind.Device)
            {
                throw new HostIoException(Errnos.EINVAL, path, "read");
            }

            return node.Read is { } read ? read() : throw new HostIoException(Errnos.EACCES, path, "read");
        }
    }

    public string? ReadLink(string path)
    {
        lock (_gate)
        {
            var node = ResolveOrThrow(path, followLast: false, "readlink");
            return node.Kind == EmulatedNodeKind.Link ? node.LinkTarget : null;
        }
    }

    public IReadOnlyList<string> ListDirectory(string path)
    {
        lock (_gate)
        {
            int errno = TryResolve(path, followLast: true, out string canonical, out var node);
            if (errno != 0)
            {
                throw new HostIoException(errno, path, "list");
            }

            if (node!.Kind != EmulatedNodeKind.Directory)
            {
                throw new HostIoException(ENOTDIR, path, "list");
            }

            return Children(canonical).Keys.Order(StringComparer.Ordinal).ToArray();
        }
    }

    public void WriteAllText(string path, string value)
    {
        var (delay, injected) = Faults.TakeWriteFault(path);
        if (delay > TimeSpan.Zero)
        {
            Thread.Sleep(delay);
        }

        lock (_gate)
        {
            int errno = injected != 0 ? injected : WriteLocked(path, value, out bool changed);
            if (errno != 0)
            {
                WriteLog.Add(EmulatedOperationKind.SysfsWrite, path, 0, value, isMutation: true, changed: false, errno, 0);
                throw new HostIoException(errno, path, $"write \"{value.TrimEnd('\n')}\"");
            }
        }
    }

    private int WriteLocked(string path, string value, out bool changed)
    {
        changed = false;
        int errno = TryResolve(path, followLast: true, out _, out var node);
        if (errno != 0)
        {
            return errno;
        }

        if (node!.Kind == EmulatedNodeKind.Directory)
        {
            return EISDIR;
        }

        if (node.Write is null)
        {
            return Errnos.EACCES;
        }

        byte[] before = Fingerprint();
        errno = node.Write(value);
        if (errno != 0)
        {
            return errno;
        }

        changed = !Fingerprint().AsSpan().SequenceEqual(before);
        WriteLog.Add(EmulatedOperationKind.SysfsWrite, path, 0, value, isMutation: true, changed, 0, 0);
        if (changed)
        {
            PersistLocked();
        }

        return 0;
    }

    private EmulatedNode ResolveOrThrow(string path, bool followLast, string operation)
    {
        int errno = TryResolve(path, followLast, out _, out var node);
        return errno == 0 ? node! : throw new HostIoException(errno, path, operation);
    }

    /// <summary>
    /// Walks <paramref name="path"/> component by component, following links (always for inner components). The
    /// components still to walk are the text of <c>remaining</c> from <c>at</c>: a link's target is put in front of
    /// them. Every emulated sysfs read resolves a path here, so it reads the path in place rather than splitting it
    /// (splitting into a reversed stack was a third of this method's time in the 100-node demo, perf).
    /// </summary>
    private int TryResolve(string path, bool followLast, out string canonical, out EmulatedNode? node)
    {
        canonical = "/";
        node = EmulatedNode.Directory;
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return Errnos.ENOENT;
        }

        string remaining = path;
        int at = 0;
        int links = 0;
        while (NextComponent(remaining, ref at) is { } part)
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                canonical = Parent(canonical);
                node = EmulatedNode.Directory;
                continue;
            }

            if (node!.Kind != EmulatedNodeKind.Directory)
            {
                return ENOTDIR;
            }

            if (!TryGetChild(canonical, part, out var child))
            {
                return Errnos.ENOENT;
            }

            bool last = !HasComponent(remaining, at);
            if (child.Kind == EmulatedNodeKind.Link && (!last || followLast))
            {
                if (++links > MaxLinkDepth)
                {
                    return ELOOP;
                }

                string target = child.LinkTarget!;
                remaining = last ? target : string.Concat(target, "/", remaining.AsSpan(at));
                at = 0;
                if (target.StartsWith('/'))
                {
                    canonical = "/";
                }

                node = EmulatedNode.Directory;
                continue;
            }

            canonical = canonical == "/" ? "/" + part : canonical + "/" + part;
            node = child;
        }

        return 0;
    }

    /// <summary>The next non-empty component of <paramref name="text"/> from <paramref name="at"/> (moved past it), or null at the end.</summary>
    private static string? NextComponent(string text, ref int at)
    {
        while (at < text.Length && text[at] == '/')
        {
            at++;
        }

        if (at == text.Length)
        {
            return null;
        }

        int end = text.IndexOf('/', at);
        if (end < 0)
        {
            end = text.Length;
        }

        string part = text[at..end];
        at = end;
        return part;
    }

    /// <summary>Whether a non-empty component follows <paramref name="at"/> (trailing slashes are none, as in the old split).</summary>
    private static bool HasComponent(string text, int at) => text.AsSpan(at).IndexOfAnyExcept('/') >= 0;

    private static string Parent(string canonical)
    {
        int slash = canonical.LastIndexOf('/');
        return slash <= 0 ? "/" : canonical[..slash];
    }
}

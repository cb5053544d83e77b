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

        string before = Fingerprint();
        errno = node.Write(value);
        if (errno != 0)
        {
            return errno;
        }

        changed = Fingerprint() != before;
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

    /// <summary>Walks <paramref name="path"/> component by component, following links (always for inner components).</summary>
    private int TryResolve(string path, bool followLast, out string canonical, out EmulatedNode? node)
    {
        canonical = "/";
        node = EmulatedNode.Directory;
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return Errnos.ENOENT;
        }

        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        int links = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
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

            if (child.Kind == EmulatedNodeKind.Link && (pending.Count > 0 || followLast))
            {
                if (++links > MaxLinkDepth)
                {
                    return ELOOP;
                }

                string target = child.LinkTarget!;
                foreach (string piece in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(piece);
                }

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

    private static string Parent(string canonical)
    {
        int slash = canonical.LastIndexOf('/');
        return slash <= 0 ? "/" : canonical[..slash];
    }
}

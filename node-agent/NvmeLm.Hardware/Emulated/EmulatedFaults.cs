namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// Fault injection for the emulated host: an errno on the next write(s) of a path, an NVMe status on the
/// next command(s) of an opcode, a delay before a path write or an opcode. A path rule matches the exact
/// path or any path ending with it (e.g. <c>/sriov_numvfs</c>). An injected failure has no effect on the
/// hardware, like a kernel write that fails. Thread-safe.
/// </summary>
public sealed class EmulatedFaults
{
    private readonly object _gate = new();
    private readonly List<PathFault> _pathFaults = [];
    private readonly List<CommandFault> _commandFaults = [];

    /// <summary>The next <paramref name="count"/> writes of a matching path fail with <paramref name="errno"/>.</summary>
    public void FailWrite(string pathOrSuffix, int errno, int count = 1) =>
        Add(_pathFaults, new PathFault(pathOrSuffix, errno, TimeSpan.Zero, count));

    /// <summary>The next <paramref name="count"/> writes of a matching path wait <paramref name="delay"/> first.</summary>
    public void DelayWrite(string pathOrSuffix, TimeSpan delay, int count = 1) =>
        Add(_pathFaults, new PathFault(pathOrSuffix, 0, delay, count));

    /// <summary>
    /// The next <paramref name="count"/> commands with <paramref name="opcode"/> (and, if given, select value:
    /// CDW10 bits 7:0 — Identify CNS, Virtualization Management ACT, Migration SEL) complete with <paramref name="status"/>,
    /// after the first <paramref name="skip"/> matching ones went through (to hit the second of two identical commands,
    /// such as a suspend probe's Get Controller State followed by the state read's).
    /// </summary>
    public void FailCommand(byte opcode, ushort status, int? select = null, int count = 1, int skip = 0) =>
        Add(_commandFaults, new CommandFault(opcode, select, status, TimeSpan.Zero, count, skip));

    public void DelayCommand(byte opcode, TimeSpan delay, int? select = null, int count = 1) =>
        Add(_commandFaults, new CommandFault(opcode, select, 0, delay, count, Skip: 0));

    public void Clear()
    {
        lock (_gate)
        {
            _pathFaults.Clear();
            _commandFaults.Clear();
        }
    }

    /// <summary>Consumes the matching write faults: the total delay and the first errno (0 = none).</summary>
    internal (TimeSpan Delay, int Errno) TakeWriteFault(string path)
    {
        lock (_gate)
        {
            var delay = TimeSpan.Zero;
            int errno = 0;
            for (int i = 0; i < _pathFaults.Count; i++)
            {
                var fault = _pathFaults[i];
                if (!(path == fault.Path || path.EndsWith(fault.Path, StringComparison.Ordinal)) || (fault.Errno != 0 && errno != 0))
                {
                    continue;
                }

                delay += fault.Delay;
                errno = errno == 0 ? fault.Errno : errno;
                _pathFaults[i] = fault with { Remaining = fault.Remaining - 1 };
            }

            _pathFaults.RemoveAll(f => f.Remaining <= 0);
            return (delay, errno);
        }
    }

    internal (TimeSpan Delay, ushort Status) TakeCommandFault(byte opcode, int select)
    {
        lock (_gate)
        {
            var delay = TimeSpan.Zero;
            ushort status = 0;
            for (int i = 0; i < _commandFaults.Count; i++)
            {
                var fault = _commandFaults[i];
                if (fault.Opcode != opcode || (fault.Select is int s && s != select) || (fault.Status != 0 && status != 0))
                {
                    continue;
                }

                if (fault.Skip > 0)
                {
                    _commandFaults[i] = fault with { Skip = fault.Skip - 1 };
                    continue;
                }

                delay += fault.Delay;
                status = status == 0 ? fault.Status : status;
                _commandFaults[i] = fault with { Remaining = fault.Remaining - 1 };
            }

            _commandFaults.RemoveAll(f => f.Remaining <= 0);
            return (delay, status);
        }
    }

    private void Add<T>(List<T> list, T item)
    {
        lock (_gate)
        {
            list.Add(item);
        }
    }

    private sealed record PathFault(string Path, int Errno, TimeSpan Delay, int Remaining);

    private sealed record CommandFault(byte Opcode, int? Select, ushort Status, TimeSpan Delay, int Remaining, int Skip);
}

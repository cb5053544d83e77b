namespace NvmeLm.Hardware.Emulated;

/// <summary>Thread-safe, append-only log of the emulated host's sysfs writes and NVMe commands.</summary>
public sealed class EmulatedWriteLog
{
    private readonly object _gate = new();
    private readonly List<EmulatedWriteRecord> _records = [];
    private long _sequence;

    public IReadOnlyList<EmulatedWriteRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return _records.ToArray();
            }
        }
    }

    /// <summary>Sysfs writes and state-changing NVMe commands (Virtualization Management, Migration Send), attempted or not.</summary>
    public IReadOnlyList<EmulatedWriteRecord> Mutations => Records.Where(r => r.IsMutation).ToArray();

    /// <summary>Operations that actually changed the emulated hardware.</summary>
    public IReadOnlyList<EmulatedWriteRecord> Changes => Records.Where(r => r.Changed).ToArray();

    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }

    internal void Add(EmulatedOperationKind kind, string target, byte opcode, string value, bool isMutation, bool changed, int errno, ushort status,
        byte[]? submission = null)
    {
        lock (_gate)
        {
            _records.Add(new EmulatedWriteRecord(++_sequence, DateTimeOffset.UtcNow, kind, target, opcode, value, isMutation, changed, errno, status, submission));
        }
    }
}

using System.Collections.Concurrent;

namespace NvmeLm.ApiServer.Audit;

/// <summary>
/// The record of every request the server answered, oldest first. Bounded (oldest dropped) so a
/// long-running dev cluster does not grow without limit; <see cref="Dropped"/> says how many went.
/// </summary>
public sealed class AuditLog
{
    private readonly ConcurrentQueue<AuditRecord> _records = new();
    private readonly int _capacity;
    private long _dropped;

    public AuditLog(int capacity = 1_000_000) => _capacity = capacity;

    public long Dropped => Interlocked.Read(ref _dropped);

    public int Count => _records.Count;

    /// <summary>Raised after each record is added (on the request's thread).</summary>
    public event Action<AuditRecord>? Recorded;

    public void Add(AuditRecord record)
    {
        _records.Enqueue(record);
        while (_records.Count > _capacity && _records.TryDequeue(out _))
        {
            Interlocked.Increment(ref _dropped);
        }
        Recorded?.Invoke(record);
    }

    public IReadOnlyList<AuditRecord> Snapshot() => [.. _records];

    public IReadOnlyList<AuditRecord> Where(Func<AuditRecord, bool> predicate) => _records.Where(predicate).ToList();

    public void Clear() => _records.Clear();
}

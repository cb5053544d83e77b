using System.Collections.Concurrent;

namespace NvmeLm.ApiServer.Admission;

/// <summary>The audit annotations admission policies recorded, oldest first (bounded: the oldest are dropped).</summary>
public sealed class PolicyAuditLog
{
    private const int Capacity = 100_000;

    private readonly ConcurrentQueue<PolicyAuditRecord> _records = new();

    public void Add(PolicyAuditRecord record)
    {
        _records.Enqueue(record);
        while (_records.Count > Capacity && _records.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<PolicyAuditRecord> Snapshot() => [.. _records];
}

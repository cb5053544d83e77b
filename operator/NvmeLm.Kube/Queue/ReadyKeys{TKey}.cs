namespace NvmeLm.Kube.Queue;

/// <summary>
/// The keys of a <see cref="WorkQueue{TKey}"/> that wait to be handed out, by priority: one FIFO per priority, highest
/// first. A key waits once; queueing it again with a higher priority moves it up (its old entry is skipped when
/// reached). Not thread-safe: the work queue's lock guards it.
/// </summary>
internal sealed class ReadyKeys<TKey>
    where TKey : notnull
{
    private readonly SortedDictionary<int, Queue<TKey>> _byPriority = new(Comparer<int>.Create((a, b) => b.CompareTo(a)));
    private readonly Dictionary<TKey, int> _waiting = new();

    public int Count => _waiting.Count;

    /// <summary>Queues <paramref name="key"/> unless it already waits at this priority or a higher one.</summary>
    public void Enqueue(TKey key, int priority)
    {
        if (_waiting.TryGetValue(key, out var current) && current >= priority)
        {
            return;
        }

        _waiting[key] = priority;
        if (!_byPriority.TryGetValue(priority, out var queue))
        {
            _byPriority[priority] = queue = new Queue<TKey>();
        }

        queue.Enqueue(key);
    }

    /// <summary>The oldest key of the highest priority; call only when <see cref="Count"/> is above 0.</summary>
    public TKey DequeueHighest()
    {
        while (_byPriority.Count > 0)
        {
            var (priority, queue) = _byPriority.First();
            while (queue.TryDequeue(out var key))
            {
                // An entry left behind when the key moved up to a higher priority is skipped.
                if (_waiting.TryGetValue(key, out var waitingAt) && waitingAt == priority)
                {
                    _waiting.Remove(key);
                    if (queue.Count == 0)
                    {
                        _byPriority.Remove(priority);
                    }

                    return key;
                }
            }

            _byPriority.Remove(priority);
        }

        throw new InvalidOperationException("No key is waiting.");
    }
}

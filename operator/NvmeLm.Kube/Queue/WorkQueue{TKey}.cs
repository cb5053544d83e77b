using NvmeLm.Kube.Metrics;

namespace NvmeLm.Kube.Queue;

/// <summary>
/// The controller work queue, with client-go's semantics:
/// <list type="bullet">
/// <item>de-duplication: a key waiting in the queue is there once, however often it is added;</item>
/// <item>serialisation: a key being processed is not handed out again until <see cref="Done"/>; adds while it
/// is processed are remembered and the key comes back once (KubeOps #977: concurrent reconciles of one object);</item>
/// <item>a global limit on keys being processed at once (<see cref="WorkQueueOptions.MaxConcurrency"/>);</item>
/// <item>per-key capped exponential back-off (<see cref="AddRateLimited"/>) that never drops a key
/// (KubeOps dropped keys after 5 retries), and <see cref="AddAfter"/> for "look again later".</item>
/// </list>
/// Callers: <c>var key = await DequeueAsync(ct); try { ... } finally { Done(key); }</c>.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly object _lock = new();
    private readonly Queue<TKey> _ready = new();
    private readonly HashSet<TKey> _dirty = new();
    private readonly HashSet<TKey> _processing = new();
    private readonly Dictionary<TKey, int> _failures = new();
    private readonly Dictionary<TKey, DateTimeOffset> _delayedUntil = new();
    private readonly List<TaskCompletionSource> _waiters = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly WorkQueueOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Prometheus.Gauge.Child _depth;
    private readonly Prometheus.Counter.Child _adds;
    private readonly Prometheus.Counter.Child _retries;

    public WorkQueue(WorkQueueOptions? options = null, KubeMetrics? metrics = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new WorkQueueOptions();
        _options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        metrics ??= KubeMetrics.Default;
        _depth = metrics.WorkqueueDepth.WithLabels(_options.Name);
        _adds = metrics.WorkqueueAdds.WithLabels(_options.Name);
        _retries = metrics.WorkqueueRetries.WithLabels(_options.Name);
    }

    public string Name => _options.Name;

    /// <summary>Keys waiting to be handed out (not counting delayed ones or ones being processed).</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Keys handed out and not yet <see cref="Done"/>.</summary>
    public int ProcessingCount
    {
        get
        {
            lock (_lock)
            {
                return _processing.Count;
            }
        }
    }

    /// <summary>Keys waiting for an <see cref="AddAfter"/> or back-off delay.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_lock)
            {
                return _delayedUntil.Count;
            }
        }
    }

    /// <summary>
    /// True while <paramref name="key"/> is ready, being processed, added again during processing, or waiting for a
    /// delay: false means nothing will hand it out until it is added again.
    /// </summary>
    public bool IsQueued(TKey key)
    {
        lock (_lock)
        {
            return _dirty.Contains(key) || _processing.Contains(key) || _delayedUntil.ContainsKey(key);
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already waiting.</summary>
    public void Add(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested || !_dirty.Add(key))
            {
                return;
            }

            _adds.Inc();
            if (!_processing.Contains(key))
            {
                // A key being processed stays only dirty; Done puts it back.
                _ready.Enqueue(key);
                _depth.Set(_ready.Count);
                WakeWaiters();
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>; an earlier pending time wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var due = _timeProvider.GetUtcNow() + delay;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            if (_delayedUntil.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }

            _delayedUntil[key] = due;
        }

        _ = FireAfterAsync(key, due, delay);
    }

    /// <summary>Re-queues a failed key after its back-off delay and counts a retry. Never drops the key.</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures.TryGetValue(key, out var count) ? count + 1 : 1;
            _failures[key] = failures;
        }

        _retries.Inc();
        var delay = _options.Backoff.GetDelay(failures);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Resets the failure count of <paramref name="key"/> (call after a successful reconcile).</summary>
    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Consecutive failures recorded for <paramref name="key"/>.</summary>
    public int Failures(TKey key)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(key, out var count) ? count : 0;
        }
    }

    /// <summary>
    /// Waits for a key that is ready and not being processed, while fewer than MaxConcurrency keys are out.
    /// The caller owns the key until it calls <see cref="Done"/>.
    /// </summary>
    public async Task<TKey> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
                if (_ready.Count > 0 && _processing.Count < _options.MaxConcurrency)
                {
                    var key = _ready.Dequeue();
                    _dirty.Remove(key);
                    _processing.Add(key);
                    _depth.Set(_ready.Count);
                    return key;
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add(waiter);
            }

            try
            {
                await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    /// <summary>Ends processing of <paramref name="key"/>; if it was added meanwhile it is queued again.</summary>
    public void Done(TKey key)
    {
        lock (_lock)
        {
            if (!_processing.Remove(key))
            {
                throw new InvalidOperationException($"Key '{key}' is not being processed.");
            }

            if (_dirty.Contains(key) && !_disposed.IsCancellationRequested)
            {
                _ready.Enqueue(key);
                _depth.Set(_ready.Count);
            }

            // A slot was freed even when nothing was re-queued: a waiter blocked on the limit can proceed.
            WakeWaiters();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            WakeWaiters();
        }

        _disposed.Dispose();
    }

    private async Task FireAfterAsync(TKey key, DateTimeOffset due, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, _disposed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        lock (_lock)
        {
            // A later, shorter AddAfter replaced this entry (and fired it); only the current entry fires.
            if (!_delayedUntil.TryGetValue(key, out var current) || current != due)
            {
                return;
            }

            _delayedUntil.Remove(key);

            // Under the same (re-entrant) lock, so the key never looks unqueued between the delay and the add.
            Add(key);
        }
    }

    private void WakeWaiters()
    {
        foreach (var waiter in _waiters)
        {
            waiter.TrySetResult();
        }

        _waiters.Clear();
    }
}

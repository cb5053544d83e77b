namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Watches that run in the background, one per key, each with its own cancellation: started once per key, stopped
/// (and awaited) when no longer needed or when the owner is disposed. What <see cref="StateSourceWatch"/> (an informer
/// per source node) and <see cref="StateSecretPrefetch"/> (a watch per state Secret) keep running while restores wait.
/// </summary>
/// <typeparam name="TValue">What a running watch offers its owner (an informer's cache, the bytes a watch delivered).</typeparam>
internal sealed class BackgroundWatches<TKey, TValue> : IAsyncDisposable
    where TKey : notnull
    where TValue : class
{
    private readonly object _lock = new();
    private readonly Dictionary<TKey, Running> _running;
    private readonly List<Task> _stopping = [];

    public BackgroundWatches(IEqualityComparer<TKey>? comparer = null)
    {
        _running = new Dictionary<TKey, Running>(comparer);
    }

    public IReadOnlyCollection<TKey> Keys
    {
        get
        {
            lock (_lock)
            {
                return [.. _running.Keys];
            }
        }
    }

    /// <summary>The value of the watch running for <paramref name="key"/>, or null.</summary>
    public TValue? Find(TKey key)
    {
        lock (_lock)
        {
            return _running.TryGetValue(key, out Running? running) ? running.Value : null;
        }
    }

    /// <summary>
    /// The value of the watch for <paramref name="key"/>, started now (<paramref name="create"/>, then
    /// <paramref name="run"/> on the thread pool until stopped) unless one runs.
    /// </summary>
    public TValue GetOrStart(TKey key, Func<TValue> create, Func<TValue, CancellationToken, Task> run)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(key, out Running? running))
            {
                return running.Value;
            }

            TValue value = create();
            var stop = new CancellationTokenSource();
            _running[key] = new Running(value, stop, Task.Run(() => run(value, stop.Token), CancellationToken.None));
            return value;
        }
    }

    /// <summary>Stops every watch whose key <paramref name="keep"/> rejects (not awaited here: <see cref="DisposeAsync"/> does).</summary>
    public void StopUnless(Func<TKey, bool> keep)
    {
        lock (_lock)
        {
            _stopping.RemoveAll(t => t.IsCompleted);
            foreach (TKey key in _running.Keys.Where(k => !keep(k)).ToList())
            {
                _stopping.Add(StopAsync(_running[key]));
                _running.Remove(key);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> stopping;
        lock (_lock)
        {
            stopping = [.. _running.Values.Select(StopAsync), .. _stopping];
            _running.Clear();
            _stopping.Clear();
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
    }

    private static async Task StopAsync(Running running)
    {
        await running.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.Run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        running.Stop.Dispose();
    }

    private sealed record Running(TValue Value, CancellationTokenSource Stop, Task Run);
}

using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Logging;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Queue;

namespace NvmeLm.Kube.Informers;

/// <summary>
/// List + watch with a local cache, as client-go's reflector/informer (csharp #486 asked for one):
/// lists once, then watches from the list's resourceVersion with bookmarks; resumes from the last
/// resourceVersion when a watch ends, re-lists on 410 Gone, restarts a watch that is silent longer than
/// <see cref="InformerOptions.StallTimeout"/> (csharp #533/#884, KubeOps #585/#763), and retries failures
/// with capped, jittered back-off forever. Handlers see changes after the cache has them.
/// </summary>
public sealed class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>A watch that ends this fast without any event counts as a failure, so a server that keeps
    /// closing watches does not spin the loop.</summary>
    private static readonly TimeSpan s_minHealthyWatch = TimeSpan.FromSeconds(1);

    private readonly ResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly KubeMetrics _metrics;
    private readonly ExponentialBackoff _backoff;
    private readonly List<IResourceEventHandler<T>> _handlers = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _resourceLabel;
    private long _listCount;
    private long _watchCount;
    private long _stallCount;
    private string? _resourceVersion;
    private int _running;

    public Informer(ResourceClient<T> client, InformerOptions? options = null, ILogger? logger = null, KubeMetrics? metrics = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? new InformerOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? KubeMetrics.Default;
        _backoff = new ExponentialBackoff(_options.InitialBackoff, _options.MaxBackoff);
        _resourceLabel = client.Type.Plural + (client.Type.Group.Length == 0 ? string.Empty : "." + client.Type.Group);
    }

    public ObjectCache<T> Cache { get; } = new();

    /// <summary>True once the first list has been loaded into the cache and handed to the handlers.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch resumes from (null: the next step is a full list).</summary>
    public string? LastResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>Full lists so far (1 after start; +1 per 410 Gone).</summary>
    public long ListCount => Interlocked.Read(ref _listCount);

    /// <summary>Watch calls started so far.</summary>
    public long WatchCount => Interlocked.Read(ref _watchCount);

    /// <summary>Watches torn down by the stall watchdog.</summary>
    public long StallRestartCount => Interlocked.Read(ref _stallCount);

    /// <summary>Registers a handler; when the cache is already filled the handler first gets an add per object.</summary>
    public void AddHandler(IResourceEventHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlers)
        {
            _handlers.Add(handler);
            if (HasSynced)
            {
                foreach (var obj in Cache.List())
                {
                    handler.OnAdd(obj);
                }
            }
        }
    }

    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Runs list/watch until <paramref name="cancellationToken"/> fires; never ends on its own.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Two loops would feed one cache from two watches and double every event.
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"The {_resourceLabel} informer is already running; share it instead of running it twice.");
        }

        try
        {
            await RunLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var gonesInRow = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (Volatile.Read(ref _resourceVersion) is null)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                }

                var healthy = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                failures = healthy ? 0 : failures + 1;
                gonesInRow = healthy ? 0 : gonesInRow;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                RestartWithList();

                // One 410 is routine; 410 right after a fresh list is not, and must not spin the loop.
                if (++gonesInRow > 1)
                {
                    await DelayAsync(_backoff.GetDelayWithJitter(gonesInRow - 1), cancellationToken).ConfigureAwait(false);
                }

                continue;
            }
            catch (Exception e)
            {
                failures++;
                var delay = _backoff.GetDelayWithJitter(failures);
                _metrics.InformerWatchRestarts.WithLabels(_resourceLabel, "error").Inc();
                _logger.ListWatchFailed(_resourceLabel, delay, e);
                await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (failures > 0)
            {
                await DelayAsync(_backoff.GetDelayWithJitter(failures), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client.ListAsync(_options.Namespace, new ListOptions
        {
            FieldSelector = _options.FieldSelector,
            LabelSelector = _options.LabelSelector,
        }, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _listCount);
        _metrics.InformerRelists.WithLabels(_resourceLabel).Inc();

        var items = list.Items ?? [];
        var seen = new HashSet<NamespacedName>();
        foreach (var item in items)
        {
            seen.Add(NamespacedName.Of(item));
            Apply(item);
        }

        // Objects deleted while we were not watching: the list is the truth.
        foreach (var key in Cache.Keys().Where(k => !seen.Contains(k)))
        {
            if (Cache.Remove(key) is { } removed)
            {
                Dispatch(h => h.OnDelete(removed));
            }
        }

        if (string.IsNullOrEmpty(list.Metadata?.ResourceVersion))
        {
            // Without it the next watch could not resume and every round would re-list.
            throw new InvalidDataException($"The {_resourceLabel} list carries no metadata.resourceVersion.");
        }

        Volatile.Write(ref _resourceVersion, list.Metadata.ResourceVersion);
        _logger.Listed(_resourceLabel, items.Count, list.Metadata?.ResourceVersion);
        _synced.TrySetResult();
    }

    /// <summary>One watch call; true when it was healthy (delivered events or lived a normal while).</summary>
    private async Task<bool> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var options = new ListOptions
        {
            FieldSelector = _options.FieldSelector,
            LabelSelector = _options.LabelSelector,
            ResourceVersion = Volatile.Read(ref _resourceVersion),
            AllowWatchBookmarks = true,
            // Spread rotation between 1x and 2x so many informers do not reconnect together (client-go does the same).
            TimeoutSeconds = (int)(_options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble())),
        };

        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watchdog.CancelAfter(_options.StallTimeout);
        Interlocked.Increment(ref _watchCount);
        var started = DateTime.UtcNow;
        var events = 0;
        try
        {
            await foreach (var watchEvent in _client.WatchAsync(_options.Namespace, options, watchdog.Token).ConfigureAwait(false))
            {
                // Anything from the server, bookmarks included, proves the connection is alive.
                watchdog.CancelAfter(_options.StallTimeout);
                events++;
                HandleWatchEvent(watchEvent);
            }
        }
        catch (Exception e) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && e is OperationCanceledException or IOException or HttpRequestException)
        {
            Interlocked.Increment(ref _stallCount);
            _metrics.InformerWatchRestarts.WithLabels(_resourceLabel, "stalled").Inc();
            _logger.WatchStalled(_resourceLabel, _options.StallTimeout);
            return true;
        }

        _metrics.InformerWatchRestarts.WithLabels(_resourceLabel, "closed").Inc();
        return events > 0 || DateTime.UtcNow - started >= s_minHealthyWatch;
    }

    private void HandleWatchEvent(WatchEvent<T> watchEvent)
    {
        switch (watchEvent.Type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                Apply(watchEvent.Object!);
                break;
            case WatchEventType.Deleted:
                var key = NamespacedName.Of(watchEvent.Object!);
                var removed = Cache.Remove(key) ?? watchEvent.Object!;
                Dispatch(h => h.OnDelete(removed));
                break;
            case WatchEventType.Bookmark:
                break;
            case WatchEventType.Error:
                var status = watchEvent.Status;
                var code = (HttpStatusCode)(status?.Code ?? 500);
                throw new KubeApiException(code, "WATCH", _client.Type.Path(_options.Namespace), status, status?.Message);
        }

        if (watchEvent.Object?.Metadata?.ResourceVersion is { Length: > 0 } resourceVersion)
        {
            Volatile.Write(ref _resourceVersion, resourceVersion);
        }
    }

    private void Apply(T obj)
    {
        var old = Cache.Upsert(obj);
        if (old is null)
        {
            Dispatch(h => h.OnAdd(obj));
        }
        else if (old.Metadata?.ResourceVersion != obj.Metadata?.ResourceVersion)
        {
            Dispatch(h => h.OnUpdate(old, obj));
        }
    }

    private void RestartWithList()
    {
        _logger.WatchGone(_resourceLabel);
        _metrics.InformerWatchRestarts.WithLabels(_resourceLabel, "gone").Inc();
        Volatile.Write(ref _resourceVersion, null);
    }

    private void Dispatch(Action<IResourceEventHandler<T>> action)
    {
        lock (_handlers)
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    action(handler);
                }
                catch (Exception e)
                {
                    // A faulty handler must not stop the informer or starve the other handlers.
                    _logger.HandlerFailed(_resourceLabel, e);
                }
            }
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown: the caller's loop checks the token.
        }
    }
}

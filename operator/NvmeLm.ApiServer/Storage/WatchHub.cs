using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Storage;

/// <summary>
/// Per-collection event history (a bounded window, like kube-apiserver's watch cache) and the open
/// watch subscriptions. Every method that touches state runs under the owning store's lock, which is
/// what keeps history and live delivery in one resourceVersion order.
/// </summary>
public sealed class WatchHub
{
    private readonly object _gate;
    private readonly int _historyPerCollection;
    private readonly int _subscriberQueueCapacity;
    private readonly Func<long> _currentResourceVersion;
    private readonly Dictionary<StorageKey, History> _histories = [];
    private readonly Dictionary<StorageKey, List<WatchSubscription>> _subscribers = [];

    internal WatchHub(object gate, int historyPerCollection, int subscriberQueueCapacity, Func<long> currentResourceVersion)
    {
        _gate = gate;
        _historyPerCollection = historyPerCollection;
        _subscriberQueueCapacity = subscriberQueueCapacity;
        _currentResourceVersion = currentResourceVersion;
    }

    /// <summary>Number of open subscriptions (for tests and the bench).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Values.Sum(list => list.Count);
            }
        }
    }

    /// <summary>Closes every open watch stream; clients see their watch end and must re-watch.</summary>
    public void CloseAll()
    {
        lock (_gate)
        {
            foreach (var subscription in _subscribers.Values.SelectMany(list => list))
            {
                subscription.Close();
            }
        }
    }

    /// <summary>Under the store lock: record and fan out one committed change.</summary>
    internal void Publish(StoreEvent storeEvent)
    {
        if (!_histories.TryGetValue(storeEvent.Storage, out var history))
        {
            history = new History();
            _histories[storeEvent.Storage] = history;
        }
        history.Events.Enqueue(storeEvent);
        while (history.Events.Count > _historyPerCollection)
        {
            history.CompactedThrough = history.Events.Dequeue().ResourceVersion;
        }
        if (_subscribers.TryGetValue(storeEvent.Storage, out var list))
        {
            foreach (var subscription in list)
            {
                subscription.Deliver(storeEvent);
            }
        }
    }

    /// <summary>
    /// Under the store lock: opens a subscription that first replays <paramref name="initial"/> (synthetic
    /// ADDED events) or every retained event after <paramref name="sinceResourceVersion"/>.
    /// </summary>
    internal WatchSubscription Subscribe(StorageKey storage, long? sinceResourceVersion, IEnumerable<StoreEvent> initial)
    {
        var replay = new List<StoreEvent>(initial);
        if (sinceResourceVersion is long since)
        {
            _histories.TryGetValue(storage, out var history);
            long compactedThrough = history?.CompactedThrough ?? 0;
            if (since < compactedThrough)
            {
                throw ApiException.Gone($"too old resource version: {since} ({compactedThrough + 1})");
            }
            if (history is not null)
            {
                replay.AddRange(history.Events.Where(e => e.ResourceVersion > since));
            }
        }
        var subscription = new WatchSubscription(this, storage, Math.Max(_subscriberQueueCapacity, replay.Count + 16));
        foreach (var storeEvent in replay)
        {
            subscription.Deliver(storeEvent);
        }
        if (!_subscribers.TryGetValue(storage, out var list))
        {
            list = [];
            _subscribers[storage] = list;
        }
        list.Add(subscription);
        return subscription;
    }

    /// <summary>Oldest resourceVersion a watch on <paramref name="storage"/> may still start from.</summary>
    internal long OldestWatchable(StorageKey storage) =>
        _histories.TryGetValue(storage, out var history) ? history.CompactedThrough : 0;

    internal void EnqueueBookmark(WatchSubscription subscription)
    {
        lock (_gate)
        {
            subscription.Deliver(new StoreEvent(StoreEventType.Bookmark, subscription.Storage, default, _currentResourceVersion(), null, null));
        }
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            if (_subscribers.TryGetValue(subscription.Storage, out var list))
            {
                list.Remove(subscription);
            }
        }
        subscription.Close();
    }

    /// <summary>Forgets a collection's history (its CRD was deleted), closing its watchers.</summary>
    internal void Drop(StorageKey storage)
    {
        _histories.Remove(storage);
        if (_subscribers.Remove(storage, out var list))
        {
            foreach (var subscription in list)
            {
                subscription.Close();
            }
        }
    }

    private sealed class History
    {
        public Queue<StoreEvent> Events { get; } = new();

        /// <summary>resourceVersion of the newest event dropped from the window; a watch must start at or after it.</summary>
        public long CompactedThrough { get; set; }
    }
}

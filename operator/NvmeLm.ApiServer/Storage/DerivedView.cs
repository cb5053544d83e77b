using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Storage;

/// <summary>
/// A value computed from some stored collections (the RBAC objects, the admission policies), recomputed when
/// any of them changed. It sees every write that committed before it is asked: each collection has a watch
/// subscription, and the store delivers a committed change into it before the write answers, so a pending
/// event means "changed" (read-your-writes, unlike an informer). Asking costs a peek per collection while
/// nothing changed. A subscription closed under it (a slow consumer, the fault injector's CloseAllWatches) is
/// reopened and counts as a change.
/// </summary>
public sealed class DerivedView<T> : IDisposable
    where T : class
{
    private readonly ObjectStore _store;
    private readonly IReadOnlyList<StorageKey> _collections;
    private readonly Func<ObjectStore, T> _compute;
    private readonly object _gate = new();
    private readonly WatchSubscription?[] _subscriptions;
    private T? _value;
    private long _changes;
    private long _computedAt = -1;
    private bool _disposed;

    public DerivedView(ObjectStore store, IReadOnlyList<StorageKey> collections, Func<ObjectStore, T> compute)
    {
        _store = store;
        _collections = collections;
        _compute = compute;
        _subscriptions = new WatchSubscription?[collections.Count];
    }

    /// <summary>The value as of every committed write.</summary>
    public T Current
    {
        get
        {
            // The change counter is bumped before events are drained (below), so seeing no pending event and an
            // unchanged counter means the published value includes every change delivered so far.
            if (!AnyPending() && Volatile.Read(ref _computedAt) == Volatile.Read(ref _changes))
            {
                return _value!;
            }
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (AnyPending())
                {
                    Interlocked.Increment(ref _changes);
                    DrainOrReopen();
                }
                if (_computedAt != _changes)
                {
                    long computing = _changes;
                    _value = _compute(_store);
                    Volatile.Write(ref _computedAt, computing);
                }
                return _value!;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var subscription in _subscriptions)
            {
                subscription?.Dispose();
            }
        }
    }

    private bool AnyPending()
    {
        foreach (var subscription in _subscriptions)
        {
            if (subscription is null || subscription.Events.Completion.IsCompleted || subscription.Events.TryPeek(out _))
            {
                return true;
            }
        }
        return false;
    }

    private void DrainOrReopen()
    {
        for (int i = 0; i < _subscriptions.Length; i++)
        {
            var subscription = _subscriptions[i];
            if (subscription is null || subscription.Events.Completion.IsCompleted)
            {
                subscription?.Dispose();
                // From the current version: what is already stored is read by the recomputation that follows.
                _subscriptions[i] = _store.Watch(_collections[i], _store.CurrentResourceVersion);
                continue;
            }
            while (subscription.Events.TryRead(out _))
            {
            }
        }
    }
}

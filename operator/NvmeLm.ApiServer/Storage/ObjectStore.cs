using System.Globalization;
using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Storage;

/// <summary>
/// The in-memory object store: collections of immutable <see cref="JsonObject"/>s, one global
/// monotonically increasing resourceVersion, and compare-and-swap writes (the caller computes the next
/// state from what it read, the store commits only if nothing changed meanwhile — etcd's model, which
/// kube-apiserver's GuaranteedUpdate builds on). Objects handed out must never be mutated.
/// </summary>
public sealed class ObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<StorageKey, Dictionary<ObjectName, JsonObject>> _collections = [];
    private readonly Dictionary<string, (StorageKey Storage, ObjectName Name)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<(StorageKey Storage, ObjectName Name), JsonObject> _tracked = [];
    private long _resourceVersion;

    public ObjectStore(int watchHistoryPerCollection = 1000, int watchQueueCapacity = 10_000)
    {
        Watches = new WatchHub(_gate, watchHistoryPerCollection, watchQueueCapacity, () => _resourceVersion);
    }

    public WatchHub Watches { get; }

    /// <summary>The newest resourceVersion handed out.</summary>
    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _collections.Values.Sum(c => c.Count);
            }
        }
    }

    public JsonObject? Get(StorageKey storage, ObjectName name)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(storage, out var collection) && collection.TryGetValue(name, out var obj) ? obj : null;
        }
    }

    /// <summary>Whether any stored object has this uid (the garbage collector's owner check).</summary>
    public bool UidExists(string uid)
    {
        lock (_gate)
        {
            return _byUid.ContainsKey(uid);
        }
    }

    /// <summary>A consistent snapshot of a collection (optionally one namespace), sorted by namespace and name.</summary>
    public (List<JsonObject> Items, long ResourceVersion) List(StorageKey storage, string? namespaceName)
    {
        lock (_gate)
        {
            var items = new List<KeyValuePair<ObjectName, JsonObject>>();
            if (_collections.TryGetValue(storage, out var collection))
            {
                foreach (var pair in collection)
                {
                    if (namespaceName is null || pair.Key.Namespace == namespaceName)
                    {
                        items.Add(pair);
                    }
                }
            }
            items.Sort((a, b) => a.Key.CompareTo(b.Key));
            return (items.ConvertAll(p => p.Value), _resourceVersion);
        }
    }

    /// <summary>Every stored collection key (for the garbage collector and namespace cleanup).</summary>
    public IReadOnlyList<StorageKey> Collections()
    {
        lock (_gate)
        {
            return [.. _collections.Keys];
        }
    }

    /// <summary>
    /// Objects the background controllers act on: those with ownerReferences or a deletionTimestamp.
    /// Kept as an index so garbage collection does not scan every object on every round.
    /// </summary>
    public List<(StorageKey Storage, JsonObject Obj)> Tracked()
    {
        lock (_gate)
        {
            return _tracked.Select(p => (p.Key.Storage, p.Value)).ToList();
        }
    }

    public WriteResult TryCreate(StorageKey storage, ObjectName name, JsonObject obj)
    {
        lock (_gate)
        {
            var collection = CollectionFor(storage);
            if (collection.ContainsKey(name))
            {
                return WriteResult.AlreadyExists;
            }
            long rv = Stamp(obj);
            collection[name] = obj;
            IndexUid(obj, storage, name);
            Track(storage, name, obj);
            Watches.Publish(new StoreEvent(StoreEventType.Added, storage, name, rv, obj, null));
            return WriteResult.Committed;
        }
    }

    /// <summary>Replaces <paramref name="expected"/> (by reference) with <paramref name="next"/>.</summary>
    public WriteResult TryReplace(StorageKey storage, ObjectName name, JsonObject expected, JsonObject next)
    {
        lock (_gate)
        {
            var collection = CollectionFor(storage);
            if (!collection.TryGetValue(name, out var current))
            {
                return WriteResult.NotFound;
            }
            if (!ReferenceEquals(current, expected))
            {
                return WriteResult.Changed;
            }
            long rv = Stamp(next);
            collection[name] = next;
            Track(storage, name, next);
            Watches.Publish(new StoreEvent(StoreEventType.Modified, storage, name, rv, next, current));
            return WriteResult.Committed;
        }
    }

    /// <summary>Removes <paramref name="expected"/> (by reference); the DELETED event carries a fresh resourceVersion.</summary>
    public WriteResult TryRemove(StorageKey storage, ObjectName name, JsonObject expected, out JsonObject? removed)
    {
        lock (_gate)
        {
            removed = null;
            var collection = CollectionFor(storage);
            if (!collection.TryGetValue(name, out var current))
            {
                return WriteResult.NotFound;
            }
            if (!ReferenceEquals(current, expected))
            {
                return WriteResult.Changed;
            }
            collection.Remove(name);
            _tracked.Remove((storage, name));
            if (current["metadata"]?["uid"]?.GetValue<string>() is string uid)
            {
                _byUid.Remove(uid);
            }
            // kube-apiserver reports a deleted object at the resourceVersion of the deletion.
            var tombstone = (JsonObject)current.DeepClone();
            long rv = Stamp(tombstone);
            removed = tombstone;
            Watches.Publish(new StoreEvent(StoreEventType.Deleted, storage, name, rv, tombstone, current));
            return WriteResult.Committed;
        }
    }

    /// <summary>Drops a whole collection without events (its CRD is gone; instances were deleted first).</summary>
    public void DropCollection(StorageKey storage)
    {
        lock (_gate)
        {
            if (_collections.Remove(storage, out var collection))
            {
                foreach (var name in collection.Keys)
                {
                    _tracked.Remove((storage, name));
                }
                foreach (var obj in collection.Values)
                {
                    if (obj["metadata"]?["uid"]?.GetValue<string>() is string uid)
                    {
                        _byUid.Remove(uid);
                    }
                }
            }
            Watches.Drop(storage);
        }
    }

    /// <summary>
    /// Opens a watch: with <paramref name="sinceResourceVersion"/> null it first replays the current objects
    /// as ADDED events, otherwise every retained event after that version (or throws 410 Gone).
    /// </summary>
    public WatchSubscription Watch(StorageKey storage, long? sinceResourceVersion)
    {
        lock (_gate)
        {
            var initial = new List<StoreEvent>();
            if (sinceResourceVersion is null && _collections.TryGetValue(storage, out var collection))
            {
                foreach (var pair in collection.OrderBy(p => p.Key))
                {
                    long rv = long.Parse(pair.Value["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                    initial.Add(new StoreEvent(StoreEventType.Added, storage, pair.Key, rv, pair.Value, null));
                }
            }
            return Watches.Subscribe(storage, sinceResourceVersion, initial);
        }
    }

    private Dictionary<ObjectName, JsonObject> CollectionFor(StorageKey storage)
    {
        if (!_collections.TryGetValue(storage, out var collection))
        {
            collection = [];
            _collections[storage] = collection;
        }
        return collection;
    }

    /// <summary>
    /// Forces every lazily parsed JsonObject/JsonArray in the tree to build its children now: System.Text.Json
    /// materializes nodes on first access without locking, and stored objects are read by many threads.
    /// </summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialize(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Materialize(child);
                }
                break;
        }
    }

    private long Stamp(JsonObject obj)
    {
        Materialize(obj);
        long rv = ++_resourceVersion;
        var metadata = obj["metadata"] as JsonObject ?? throw new InvalidOperationException("object without metadata");
        metadata["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        // The resourceVersion was the object's last change: from here on it is published and immutable.
        PublishedJson.Register(obj);
        return rv;
    }

    private void Track(StorageKey storage, ObjectName name, JsonObject obj)
    {
        bool interesting = obj["metadata"]?["deletionTimestamp"] is not null
            || obj["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 };
        if (interesting)
        {
            _tracked[(storage, name)] = obj;
        }
        else
        {
            _tracked.Remove((storage, name));
        }
    }

    private void IndexUid(JsonObject obj, StorageKey storage, ObjectName name)
    {
        if (obj["metadata"]?["uid"]?.GetValue<string>() is string uid)
        {
            _byUid[uid] = (storage, name);
        }
    }
}

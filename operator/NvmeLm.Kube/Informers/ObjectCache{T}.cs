using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace NvmeLm.Kube.Informers;

/// <summary>
/// The informer's local copy of the watched objects, keyed by namespace/name and by UID. Thread-safe; readers
/// get the stored instances, which the informer never mutates (a new event replaces the instance), so callers
/// must treat them as read-only and copy before changing.
/// </summary>
public sealed class ObjectCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly object _lock = new();
    private readonly Dictionary<NamespacedName, T> _byKey = new();
    private readonly Dictionary<string, NamespacedName> _keyByUid = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byKey.Count;
            }
        }
    }

    public bool TryGet(NamespacedName key, [NotNullWhen(true)] out T? obj)
    {
        lock (_lock)
        {
            return _byKey.TryGetValue(key, out obj);
        }
    }

    public T? Get(NamespacedName key) => TryGet(key, out var obj) ? obj : null;

    public T? GetByUid(string uid)
    {
        lock (_lock)
        {
            return _keyByUid.TryGetValue(uid, out var key) && _byKey.TryGetValue(key, out var obj) ? obj : null;
        }
    }

    /// <summary>A snapshot of the cached objects.</summary>
    public IReadOnlyList<T> List()
    {
        lock (_lock)
        {
            return _byKey.Values.ToList();
        }
    }

    /// <summary>A snapshot of the cached keys.</summary>
    public IReadOnlyList<NamespacedName> Keys()
    {
        lock (_lock)
        {
            return _byKey.Keys.ToList();
        }
    }

    /// <summary>Stores <paramref name="obj"/>; returns the instance it replaced, or null when it is new.</summary>
    internal T? Upsert(T obj)
    {
        var key = NamespacedName.Of(obj);
        lock (_lock)
        {
            _byKey.TryGetValue(key, out var old);
            if (old?.Metadata?.Uid is { } oldUid && oldUid != obj.Metadata.Uid)
            {
                // Same name, new object (deleted and re-created between two watch events).
                _keyByUid.Remove(oldUid);
            }

            _byKey[key] = obj;
            if (obj.Metadata.Uid is { Length: > 0 } uid)
            {
                _keyByUid[uid] = key;
            }

            return old;
        }
    }

    /// <summary>Removes the object with this key; returns what was cached, or null.</summary>
    internal T? Remove(NamespacedName key)
    {
        lock (_lock)
        {
            if (!_byKey.Remove(key, out var old))
            {
                return null;
            }

            if (old.Metadata?.Uid is { } uid)
            {
                _keyByUid.Remove(uid);
            }

            return old;
        }
    }
}

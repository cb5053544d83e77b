namespace NvmeLm.ApiServer.Resources;

/// <summary>
/// The served resources: the built-ins plus whatever established CRDs add. Reads are lock-free
/// snapshots because every request resolves its type here.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly object _gate = new();
    private volatile IReadOnlyList<ResourceType> _all = [];
    private volatile Dictionary<(string Group, string Version, string Plural), ResourceType> _byPath = [];
    private readonly Dictionary<string, IReadOnlyList<ResourceType>> _byOwner = new(StringComparer.Ordinal);

    /// <summary>Raised after the set of served resources changed (discovery and OpenAPI caches listen).</summary>
    public event Action? Changed;

    public IReadOnlyList<ResourceType> All => _all;

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault((group, version, plural));

    /// <summary>Replaces every type registered under <paramref name="owner"/> (a CRD name, or "builtin").</summary>
    public void Set(string owner, IReadOnlyList<ResourceType> types)
    {
        lock (_gate)
        {
            if (types.Count == 0)
            {
                _byOwner.Remove(owner);
            }
            else
            {
                _byOwner[owner] = types;
            }
            var all = _byOwner.Values.SelectMany(t => t).ToList();
            _byPath = all.ToDictionary(t => (t.Group, t.Version, t.Plural));
            _all = all;
        }
        Changed?.Invoke();
    }

    public IReadOnlyList<ResourceType> Owned(string owner)
    {
        lock (_gate)
        {
            return _byOwner.GetValueOrDefault(owner) ?? [];
        }
    }

    /// <summary>Whether a type other than those of <paramref name="exceptOwner"/> already uses this group and plural.</summary>
    public bool PluralTaken(string group, string plural, string exceptOwner)
    {
        lock (_gate)
        {
            return _byOwner.Any(pair => pair.Key != exceptOwner && pair.Value.Any(t => t.Group == group && t.Plural == plural));
        }
    }
}

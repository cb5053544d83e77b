using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Gc;

/// <summary>Every stored object with a served type to act on it through (the background controllers' view).</summary>
public static class StoredObjects
{
    /// <summary>Every object (or, with a namespace, every object in it).</summary>
    public static List<(ResourceType Type, JsonObject Obj)> Snapshot(ResourceRegistry registry, ObjectStore store, string? namespaceName = null)
    {
        var result = new List<(ResourceType, JsonObject)>();
        foreach (var storage in store.Collections())
        {
            if (TypeFor(registry, storage) is not ResourceType type)
            {
                continue;
            }
            foreach (var stored in store.List(storage, namespaceName).Items)
            {
                result.Add((type, type.Converter.FromStorage(stored, type)));
            }
        }
        return result;
    }

    /// <summary>Only the objects with ownerReferences or a deletionTimestamp (the store keeps them indexed).</summary>
    public static List<(ResourceType Type, JsonObject Obj)> Tracked(ResourceRegistry registry, ObjectStore store)
    {
        var result = new List<(ResourceType, JsonObject)>();
        foreach (var (storage, stored) in store.Tracked())
        {
            if (TypeFor(registry, storage) is ResourceType type)
            {
                result.Add((type, type.Converter.FromStorage(stored, type)));
            }
        }
        return result;
    }

    private static ResourceType? TypeFor(ResourceRegistry registry, StorageKey storage)
    {
        var types = registry.All;
        return types.FirstOrDefault(t => t.Storage == storage && t.Group == storage.Group) ?? types.FirstOrDefault(t => t.Storage == storage);
    }
}

using System.Text.Json.Nodes;
using NvmeLm.DevCluster.Resources;
using NvmeLm.DevCluster.Storage;

namespace NvmeLm.DevCluster.Gc;

/// <summary>Every stored object with a served type to act on it through (the background controllers' view).</summary>
public static class StoredObjects
{
    public static List<(ResourceType Type, JsonObject Obj)> Snapshot(ResourceRegistry registry, ObjectStore store)
    {
        var result = new List<(ResourceType, JsonObject)>();
        var types = registry.All;
        foreach (var storage in store.Collections())
        {
            var type = types.FirstOrDefault(t => t.Storage == storage && t.Group == storage.Group) ?? types.FirstOrDefault(t => t.Storage == storage);
            if (type is null)
            {
                continue;
            }
            foreach (var stored in store.List(storage, null).Items)
            {
                result.Add((type, type.Converter.FromStorage(stored, type)));
            }
        }
        return result;
    }
}

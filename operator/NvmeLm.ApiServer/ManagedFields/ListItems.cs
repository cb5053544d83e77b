using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>How items of set and map lists are named in paths and found again.</summary>
public static class ListItems
{
    /// <summary>The path element of a list item: its key fields (map lists) or its value (sets).</summary>
    public static string Element(JsonNode? item, MergeType list) =>
        list.Kind == MergeKind.AssociativeList
            ? item is JsonObject obj ? PathElements.Key(obj, list.Keys) : throw ApiException.BadRequest("an item of a map-type list must be an object")
            : PathElements.Value(item);

    /// <summary>The list's items by path element; a second item with the same key is refused as kube's apply refuses it.</summary>
    public static Dictionary<string, JsonNode?> Index(JsonArray list, MergeType type, bool rejectDuplicates)
    {
        var index = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            string element = Element(item, type);
            if (!index.TryAdd(element, item) && rejectDuplicates)
            {
                throw ApiException.BadRequest($"failed to create typed patch object: duplicate entries for key {PathElements.Display([element])}");
            }
        }
        return index;
    }
}

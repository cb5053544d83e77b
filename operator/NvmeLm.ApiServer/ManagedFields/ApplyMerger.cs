using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// Merges an applied configuration into the live object (structured-merge-diff <c>TypedValue.Merge</c>):
/// the configuration's values win; maps merge field by field; set lists and map lists merge item by item
/// (live items keep their place and are merged with the configuration's item of the same key, new items
/// follow in the configuration's order); atomic values are replaced whole.
/// </summary>
public static class ApplyMerger
{
    public static JsonObject Merge(JsonObject live, JsonObject config, MergeType type) => MergeMaps(live, config, type);

    private static JsonNode? MergeValues(JsonNode? live, JsonNode? config, MergeType type) => type.Kind switch
    {
        MergeKind.Map when live is JsonObject l && config is JsonObject c => MergeMaps(l, c, type),
        MergeKind.Set or MergeKind.AssociativeList when live is JsonArray l && config is JsonArray c => MergeLists(l, c, type),
        _ => config?.DeepClone(),
    };

    private static JsonObject MergeMaps(JsonObject live, JsonObject config, MergeType type)
    {
        var result = (JsonObject)live.DeepClone();
        foreach (var (key, value) in config)
        {
            result[key] = result.TryGetPropertyValue(key, out var current)
                ? MergeValues(current, value, type.FieldType(key))
                : value?.DeepClone();
        }
        return result;
    }

    private static JsonArray MergeLists(JsonArray live, JsonArray config, MergeType type)
    {
        var configured = ListItems.Index(config, type, rejectDuplicates: true);
        var result = new JsonArray();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in live)
        {
            string element = ListItems.Element(item, type);
            if (!placed.Add(element))
            {
                continue;
            }
            result.Add(configured.TryGetValue(element, out var applied) && type.Kind == MergeKind.AssociativeList
                ? MergeValues(item, applied, type.ElementType)
                : item?.DeepClone());
        }
        foreach (var item in config)
        {
            if (placed.Add(ListItems.Element(item, type)))
            {
                result.Add(item?.DeepClone());
            }
        }
        return result;
    }
}

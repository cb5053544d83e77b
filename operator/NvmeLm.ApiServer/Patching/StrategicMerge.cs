using System.Text.Json.Nodes;
using NvmeLm.ApiServer.ManagedFields;

namespace NvmeLm.ApiServer.Patching;

/// <summary>
/// A pragmatic strategic merge patch for the built-in types this server serves: merge-patch semantics,
/// plus the list strategies of the type's schema (<see cref="MergeType"/>: lists with a patch merge key
/// merged by that key — the first of <c>x-kubernetes-list-map-keys</c>, as kube's OpenAPI carries it —
/// set lists merged as sets) and the directives kubectl sends (<c>$patch</c>, <c>$retainKeys</c>,
/// <c>$setElementOrder/…</c>, <c>$deleteFromPrimitiveList/…</c>).
/// </summary>
public static class StrategicMerge
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch, MergeType type) => MergeValue(target, patch, type);

    private static JsonNode? MergeValue(JsonNode? target, JsonNode? patch, MergeType type)
    {
        return patch switch
        {
            JsonObject patchObject => MergeObject(target as JsonObject, patchObject, type),
            JsonArray patchArray => MergeList(target as JsonArray, patchArray, type),
            _ => patch?.DeepClone(),
        };
    }

    private static JsonObject MergeObject(JsonObject? target, JsonObject patch, MergeType type)
    {
        string? directive = patch[PatchDirective]?.GetValue<string>();
        if (directive == "replace")
        {
            return StripDirectives((JsonObject)patch.DeepClone());
        }
        var result = target ?? new JsonObject();
        if (patch[RetainKeysDirective] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (string key in result.Select(p => p.Key).ToList())
            {
                if (!keep.Contains(key))
                {
                    result.Remove(key);
                }
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key == PatchDirective || key == RetainKeysDirective || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                string listName = key[DeleteFromPrimitiveListPrefix.Length..];
                if (result[listName] is JsonArray list && value is JsonArray remove)
                {
                    var doomed = remove.Select(v => v?.ToJsonString()).ToHashSet();
                    foreach (var item in list.Where(i => doomed.Contains(i?.ToJsonString())).ToList())
                    {
                        list.Remove(item);
                    }
                }
                continue;
            }
            if (value is null || (value is JsonObject o && o[PatchDirective]?.GetValue<string>() == "delete"))
            {
                result.Remove(key);
                continue;
            }
            var merged = MergeValue(result[key], value, type.FieldType(key));
            result.Remove(key);
            result[key] = merged;
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, MergeType type)
    {
        if (type.Kind == MergeKind.Set && target is not null)
        {
            var result = (JsonArray)target.DeepClone();
            var present = result.Select(v => v?.ToJsonString()).ToHashSet();
            foreach (var item in patch)
            {
                if (present.Add(item?.ToJsonString()))
                {
                    result.Add(item?.DeepClone());
                }
            }
            return result;
        }
        string? mergeKey = type.Kind == MergeKind.AssociativeList ? type.Keys[0] : null;
        if (mergeKey is null || target is null
            || patch.Any(item => item is JsonObject o && o[PatchDirective]?.GetValue<string>() == "replace"))
        {
            return new JsonArray(patch.Where(i => i is not JsonObject o || o[PatchDirective] is null)
                .Select(i => i is JsonObject o ? StripDirectives((JsonObject)o.DeepClone()) : i?.DeepClone()).ToArray());
        }
        var merged = (JsonArray)target.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem || patchItem[mergeKey] is not JsonNode keyNode)
            {
                merged.Add(item?.DeepClone());
                continue;
            }
            string key = keyNode.ToJsonString();
            var existing = merged.OfType<JsonObject>().FirstOrDefault(e => e[mergeKey]?.ToJsonString() == key);
            if (patchItem[PatchDirective]?.GetValue<string>() == "delete")
            {
                if (existing is not null)
                {
                    merged.Remove(existing);
                }
                continue;
            }
            if (existing is null)
            {
                merged.Add(StripDirectives((JsonObject)patchItem.DeepClone()));
            }
            else
            {
                MergeObject(existing, patchItem, type.ElementType);
            }
        }
        return merged;
    }

    private static JsonObject StripDirectives(JsonObject obj)
    {
        foreach (string key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
        {
            obj.Remove(key);
        }
        foreach (var (_, value) in obj)
        {
            if (value is JsonObject child)
            {
                StripDirectives(child);
            }
        }
        return obj;
    }
}

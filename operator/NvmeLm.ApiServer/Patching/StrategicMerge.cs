using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Patching;

/// <summary>
/// A pragmatic strategic merge patch for the built-in types this server serves: merge-patch semantics,
/// plus the list strategies Kubernetes declares on those types (lists of named items merged by their
/// patchMergeKey, finalizers merged as a set) and the directives kubectl sends (<c>$patch</c>,
/// <c>$retainKeys</c>, <c>$setElementOrder/…</c>, <c>$deleteFromPrimitiveList/…</c>). The merge key is
/// chosen by field name, which is unambiguous across the served built-ins.
/// </summary>
public static class StrategicMerge
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>patchMergeKey of the list fields declared <c>patchStrategy:"merge"</c> in k8s.io/api for the served types.</summary>
    private static readonly Dictionary<string, string> s_mergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["ports"] = "containerPort",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["imagePullSecrets"] = "name",
        ["addresses"] = "type",
        ["hostAliases"] = "ip",
        ["resourceClaims"] = "name",
    };

    /// <summary>Primitive lists declared <c>patchStrategy:"merge"</c> (merged as a set).</summary>
    private static readonly HashSet<string> s_setLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => MergeValue(target, patch, fieldName: null);

    private static JsonNode? MergeValue(JsonNode? target, JsonNode? patch, string? fieldName)
    {
        return patch switch
        {
            JsonObject patchObject => MergeObject(target as JsonObject, patchObject),
            JsonArray patchArray => MergeList(target as JsonArray, patchArray, fieldName),
            _ => patch?.DeepClone(),
        };
    }

    private static JsonObject MergeObject(JsonObject? target, JsonObject patch)
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
            var merged = MergeValue(result[key], value, key);
            result.Remove(key);
            result[key] = merged;
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string? fieldName)
    {
        if (fieldName is not null && s_setLists.Contains(fieldName) && target is not null)
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
        if (fieldName is null || !s_mergeKeys.TryGetValue(fieldName, out string? mergeKey) || target is null
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
                MergeObject(existing, patchItem);
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

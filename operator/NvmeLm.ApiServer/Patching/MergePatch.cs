using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Patching;

/// <summary>JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>).</summary>
public static class MergePatch
{
    /// <summary>Returns <paramref name="target"/> with <paramref name="patch"/> applied; the target is modified in place when it is an object.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var merged = Apply(result[key], value);
            result.Remove(key);
            result[key] = merged;
        }
        return result;
    }
}

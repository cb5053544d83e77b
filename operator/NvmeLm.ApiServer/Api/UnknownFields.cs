using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Api;

/// <summary>
/// Finds the fields pruning removed (present before, absent after), which is what kube-apiserver's
/// <c>fieldValidation=Strict|Warn</c> reports as unknown fields. metadata is not schema-pruned and is skipped.
/// </summary>
public static class UnknownFields
{
    public static List<string> Removed(JsonNode? before, JsonNode? after, string path = "")
    {
        var removed = new List<string>();
        Collect(before, after, path, removed);
        return removed;
    }

    private static void Collect(JsonNode? before, JsonNode? after, string path, List<string> removed)
    {
        switch (before)
        {
            case JsonObject beforeObject when after is JsonObject afterObject:
                foreach (var (key, value) in beforeObject)
                {
                    if (path.Length == 0 && key is "metadata" or "apiVersion" or "kind")
                    {
                        continue;
                    }
                    string child = path.Length == 0 ? key : $"{path}.{key}";
                    if (!afterObject.ContainsKey(key))
                    {
                        removed.Add(child);
                    }
                    else
                    {
                        Collect(value, afterObject[key], child, removed);
                    }
                }
                break;
            case JsonArray beforeArray when after is JsonArray afterArray:
                for (int i = 0; i < Math.Min(beforeArray.Count, afterArray.Count); i++)
                {
                    Collect(beforeArray[i], afterArray[i], $"{path}[{i}]", removed);
                }
                break;
        }
    }
}

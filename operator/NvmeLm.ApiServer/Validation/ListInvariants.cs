using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// The <c>x-kubernetes-list-type</c> invariants (apiextensions structurallisttype): a set has no duplicate
/// items; a map list has its key fields in every item and no two items with the same keys.
/// kube reports duplicates as FieldValueDuplicate; this API has no such type, so they are Invalid.
/// </summary>
internal static class ListInvariants
{
    public static void Validate(JsonArray array, SchemaNode schema, string path, List<FieldError> errors)
    {
        switch (schema.ListType)
        {
            case "set":
                for (int i = 0; i < array.Count; i++)
                {
                    for (int j = 0; j < i; j++)
                    {
                        if (JsonNodes.DeepEquals(array[i], array[j]))
                        {
                            errors.Add(FieldErrors.Invalid(FieldPath.Index(path, i), array[i], "duplicate entry in a list of type set"));
                            break;
                        }
                    }
                }

                break;
            case "map":
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject item && MapKey(item, schema.ListMapKeys) is { } key && !seen.Add(key))
                    {
                        errors.Add(FieldErrors.Invalid(FieldPath.Index(path, i), KeyValue(item, schema.ListMapKeys), "duplicate entries for key " + key));
                    }
                }

                break;
        }
    }

    /// <summary>The item's identity in a map list (its key fields as JSON), or null when a key is missing.</summary>
    public static string? MapKey(JsonObject item, IReadOnlyList<string> keys)
    {
        var parts = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            if (!item.TryGetPropertyValue(key, out var value) || value is null)
            {
                return null;
            }

            parts.Add($"{key}={FieldErrors.FormatValue(value)}");
        }

        return "[" + string.Join(",", parts) + "]";
    }

    private static JsonNode? KeyValue(JsonObject item, IReadOnlyList<string> keys) =>
        keys.Count == 1 ? item[keys[0]]?.DeepClone() : JsonValue.Create(MapKey(item, keys));
}

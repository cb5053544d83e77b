using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// Reads and writes <c>metadata.managedFields</c> (FieldsV1), sorted as kube-apiserver sorts them
/// (apimachinery <c>managedfields/internal/managedfields.go</c> sortEncodedManagedFields: operation, time,
/// manager, apiVersion, subresource).
/// </summary>
public static class ManagedFieldsCodec
{
    public static List<ManagedFieldsEntry> Decode(JsonNode? managedFields)
    {
        var entries = new List<ManagedFieldsEntry>();
        foreach (var node in (managedFields as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            entries.Add(new ManagedFieldsEntry(
                Text(node["manager"]) ?? "",
                Text(node["operation"]) ?? ManagedFieldsEntry.Update,
                Text(node["apiVersion"]) ?? "",
                Text(node["time"]),
                Text(node["subresource"]),
                FieldSet.FromFieldsV1(node["fieldsV1"])));
        }
        return entries;
    }

    /// <summary>The <c>[{}]</c> a client sends to clear managedFields (kube's isResetManagedFields).</summary>
    public static bool IsReset(JsonNode? managedFields) =>
        managedFields is JsonArray { Count: 1 } array && array[0] is JsonObject { Count: 0 };

    public static JsonArray Encode(IEnumerable<ManagedFieldsEntry> entries)
    {
        var array = new JsonArray();
        foreach (var entry in entries.Where(e => !e.Fields.IsEmpty))
        {
            array.Add(EntryJson(entry.Manager, entry.Operation, entry.ApiVersion, entry.Time, entry.Subresource, entry.Fields.ToFieldsV1()));
        }
        return Sorted(array);
    }

    /// <summary>One entry in kube's field order (metav1.ManagedFieldsEntry).</summary>
    public static JsonObject EntryJson(string manager, string operation, string apiVersion, string? time, string? subresource, JsonObject fieldsV1)
    {
        var node = new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = operation,
            ["apiVersion"] = apiVersion,
        };
        if (time is not null)
        {
            node["time"] = time;
        }
        node["fieldsType"] = "FieldsV1";
        node["fieldsV1"] = fieldsV1;
        if (!string.IsNullOrEmpty(subresource))
        {
            node["subresource"] = subresource;
        }
        return node;
    }

    /// <summary>The entries in kube's order: operation, time, manager, apiVersion, subresource.</summary>
    public static JsonArray Sorted(JsonArray entries)
    {
        var sorted = entries.OfType<JsonObject>()
            .OrderBy(e => Text(e["operation"]) ?? "", StringComparer.Ordinal)
            .ThenBy(e => Text(e["time"]) ?? "", StringComparer.Ordinal)
            .ThenBy(e => Text(e["manager"]) ?? "", StringComparer.Ordinal)
            .ThenBy(e => Text(e["apiVersion"]) ?? "", StringComparer.Ordinal)
            .ThenBy(e => Text(e["subresource"]) ?? "", StringComparer.Ordinal)
            .ToList();
        entries.Clear();
        var result = new JsonArray();
        foreach (var entry in sorted)
        {
            result.Add(entry);
        }
        return result;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

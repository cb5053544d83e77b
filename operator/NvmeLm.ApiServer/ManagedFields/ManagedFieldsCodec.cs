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
        foreach (var entry in entries
            .Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal))
        {
            var node = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
            };
            if (entry.Time is not null)
            {
                node["time"] = entry.Time;
            }
            node["fieldsType"] = "FieldsV1";
            node["fieldsV1"] = entry.Fields.ToFieldsV1();
            if (!string.IsNullOrEmpty(entry.Subresource))
            {
                node["subresource"] = entry.Subresource;
            }
            array.Add(node);
        }
        return array;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

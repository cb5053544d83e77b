using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Tables;

/// <summary>Builds <c>meta.k8s.io/v1 Table</c> responses, with each row's object as kubectl asks (<c>includeObject</c>).</summary>
public static class TableBuilder
{
    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken, string? includeObject, bool includeColumns = true)
    {
        var now = DateTimeOffset.UtcNow;
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject
            {
                ["cells"] = new JsonArray(type.Table.Cells(obj, now).Select(c => c?.DeepClone()).ToArray()),
            };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = obj["metadata"]?.DeepClone(),
                    };
                    break;
            }
            rows.Add(row);
        }
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
        };
        var columns = new JsonArray();
        if (includeColumns)
        {
            foreach (var column in type.Table.Columns)
            {
                columns.Add(new JsonObject
                {
                    ["name"] = column.Name,
                    ["type"] = column.Type,
                    ["format"] = column.Format,
                    ["description"] = column.Description,
                    ["priority"] = column.Priority,
                });
            }
        }
        table["columnDefinitions"] = columns;
        table["rows"] = rows;
        return table;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Tables;

/// <summary>
/// Rows from a CRD version's <c>additionalPrinterColumns</c>, evaluated like apiextensions-apiserver's
/// table convertor: Name first, then each column's JSONPath (first result), <c>date</c> shown as an age.
/// Without printer columns the table is Name and Age.
/// </summary>
public sealed class PrinterColumnTableConvertor : ITableConvertor
{
    public const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    private readonly IReadOnlyList<(TableColumn Column, string JsonPath)> _columns;

    public PrinterColumnTableConvertor(JsonArray? additionalPrinterColumns)
    {
        var columns = new List<(TableColumn, string)>();
        foreach (var node in additionalPrinterColumns?.OfType<JsonObject>() ?? [])
        {
            var column = new TableColumn(
                node["name"]?.GetValue<string>() ?? "",
                node["type"]?.GetValue<string>() ?? "string",
                node["description"]?.GetValue<string>() ?? "",
                // Parsed from the JSON text: a value applied as YAML is held as a long, a JSON body's as an element.
                node["priority"] is JsonValue priority && int.TryParse(priority.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) ? p : 0,
                node["format"]?.GetValue<string>() ?? "");
            columns.Add((column, node["jsonPath"]?.GetValue<string>() ?? ""));
        }
        if (columns.Count == 0)
        {
            columns.Add((new TableColumn("Age", "date", "CreationTimestamp is a timestamp representing the server time when this object was created."), ".metadata.creationTimestamp"));
        }
        _columns = columns;
        Columns = [new TableColumn("Name", "string", NameDescription, 0, "name"), .. columns.Select(c => c.Item1)];
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var cells = new List<JsonNode?> { obj["metadata"]?["name"]?.DeepClone() };
        foreach (var (column, path) in _columns)
        {
            var results = JsonPath.Find(obj, path);
            cells.Add(results.Count == 0 ? null : Cell(column.Type, results[0], now));
        }
        return cells;
    }

    private static JsonNode? Cell(string type, JsonNode value, DateTimeOffset now)
    {
        bool isString = value is JsonValue v && v.TryGetValue<string>(out _);
        return type switch
        {
            "date" => isString ? HumanDuration.Since(value, now) : null,
            "integer" when value is JsonValue n && n.TryGetValue<long>(out long l) => l,
            "number" when value is JsonValue n && n.TryGetValue<double>(out double d) => d,
            "boolean" when value is JsonValue b && b.TryGetValue<bool>(out bool flag) => flag,
            "string" => isString ? value.GetValue<string>() : value.ToJsonString(),
            _ => isString ? value.GetValue<string>() : Convert.ToString(value.ToJsonString(), CultureInfo.InvariantCulture),
        };
    }
}

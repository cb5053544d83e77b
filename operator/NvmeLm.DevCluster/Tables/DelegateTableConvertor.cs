using System.Text.Json.Nodes;

namespace NvmeLm.DevCluster.Tables;

/// <summary>Rows for a built-in type, from one function per column (the columns kube-apiserver's printers show).</summary>
public sealed class DelegateTableConvertor : ITableConvertor
{
    private readonly IReadOnlyList<Func<JsonObject, DateTimeOffset, JsonNode?>> _cells;

    public DelegateTableConvertor(params (TableColumn Column, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)[] columns)
    {
        Columns = [new TableColumn("Name", "string", PrinterColumnTableConvertor.NameDescription, 0, "name"), .. columns.Select(c => c.Column)];
        _cells = columns.Select(c => c.Cell).ToList();
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now) =>
        [obj["metadata"]?["name"]?.DeepClone(), .. _cells.Select(cell => cell(obj, now))];

    /// <summary>The AGE column every built-in table ends with.</summary>
    public static (TableColumn, Func<JsonObject, DateTimeOffset, JsonNode?>) Age { get; } =
        (new TableColumn("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created."),
            (obj, now) => HumanDuration.Since(obj["metadata"]?["creationTimestamp"], now));

    public static (TableColumn, Func<JsonObject, DateTimeOffset, JsonNode?>) Column(string name, string description, Func<JsonObject, JsonNode?> cell, int priority = 0) =>
        (new TableColumn(name, "string", description, priority), (obj, _) => cell(obj));
}

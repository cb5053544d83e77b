using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Tables;

/// <summary>Rows for a built-in type, from one function per column (the columns kube-apiserver's printers show).</summary>
public sealed class DelegateTableConvertor : ITableConvertor
{
    private readonly IReadOnlyList<Func<JsonObject, DateTimeOffset, JsonNode?>> _cells;

    /// <summary>Name first, then <paramref name="columns"/> (the usual layout).</summary>
    public DelegateTableConvertor(params (TableColumn Column, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)[] columns)
        : this(nameFirst: true, columns)
    {
    }

    /// <summary>With <paramref name="nameFirst"/> false the columns are exactly <paramref name="columns"/> (events put Name last, hidden).</summary>
    public DelegateTableConvertor(bool nameFirst, params (TableColumn Column, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)[] columns)
    {
        var all = nameFirst ? [NameColumn, .. columns] : columns;
        Columns = all.Select(c => c.Column).ToList();
        _cells = all.Select(c => c.Cell).ToList();
    }

    /// <summary>The Name column kubectl expects (format "name").</summary>
    public static (TableColumn Column, Func<JsonObject, DateTimeOffset, JsonNode?> Cell) NameColumn { get; } =
        (new TableColumn("Name", "string", PrinterColumnTableConvertor.NameDescription, 0, "name"), (obj, _) => obj["metadata"]?["name"]?.DeepClone());

    public IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now) => _cells.Select(cell => cell(obj, now)).ToList();

    /// <summary>The AGE column every built-in table ends with.</summary>
    public static (TableColumn, Func<JsonObject, DateTimeOffset, JsonNode?>) Age { get; } =
        (new TableColumn("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created."),
            (obj, now) => HumanDuration.Since(obj["metadata"]?["creationTimestamp"], now));

    public static (TableColumn, Func<JsonObject, DateTimeOffset, JsonNode?>) Column(string name, string description, Func<JsonObject, JsonNode?> cell, int priority = 0) =>
        (new TableColumn(name, "string", description, priority), (obj, _) => cell(obj));
}

using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Tables;

/// <summary>Renders objects of one type as rows of a <c>kubectl get</c> Table.</summary>
public interface ITableConvertor
{
    IReadOnlyList<TableColumn> Columns { get; }

    IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now);
}

using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Tables;

namespace NvmeLm.ApiServer.Tests.Unit;

public sealed class TableTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(100 * 86400, "100d")]
    [InlineData(3 * 365 * 86400, "3y")]
    public void HumanDuration_Should_MatchApimachinery(int seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void JsonPath_Should_EvaluateFieldsIndexesAndFilters()
    {
        var obj = JsonNode.Parse("""
            {"status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True"}],"items":[{"n":1},{"n":2}]}}
            """);

        Assert.Equal("True", JsonPath.Find(obj, ".status.conditions[?(@.type==\"Ready\")].status").Single().GetValue<string>());
        Assert.Equal("Synced", JsonPath.Find(obj, "{.status.conditions[0].type}").Single().GetValue<string>());
        Assert.Equal([1, 2], JsonPath.Find(obj, ".status.items[*].n").Select(n => n.GetValue<int>()));
        Assert.Empty(JsonPath.Find(obj, ".status.missing.deeper"));
    }

    [Fact]
    public void PrinterColumns_Should_RenderCellsByType()
    {
        var columns = JsonNode.Parse("""
            [{"name":"Size","type":"integer","jsonPath":".spec.size"},
             {"name":"Phase","type":"string","jsonPath":".status.phase"},
             {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]
            """)!.AsArray();
        var convertor = new PrinterColumnTableConvertor(columns);
        var obj = JsonNode.Parse("""{"metadata":{"name":"w","creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{"size":3}}""")!.AsObject();

        var cells = convertor.Cells(obj, DateTimeOffset.Parse("2026-01-01T00:05:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(["Name", "Size", "Phase", "Age"], convertor.Columns.Select(c => c.Name));
        Assert.Equal("w", cells[0]!.GetValue<string>());
        Assert.Equal(3L, cells[1]!.GetValue<long>());
        Assert.Null(cells[2]);
        Assert.Equal("5m", cells[3]!.GetValue<string>());
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace NvmeLm.DevCluster;

/// <summary>The <c>--json</c> output: the whole <see cref="DemoReport"/> (or the <c>--kubevirt</c> report), camelCase, indented.</summary>
public static class DemoJson
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<TReport>(TReport report) => JsonSerializer.Serialize(report, s_options);

    public static DemoReport? Deserialize(string json) => Deserialize<DemoReport>(json);

    public static TReport? Deserialize<TReport>(string json) => JsonSerializer.Deserialize<TReport>(json, s_options);
}

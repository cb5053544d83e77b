using System.Text.Json;
using System.Text.Json.Serialization;

namespace NvmeLm.DevCluster;

/// <summary>The <c>--json</c> output: the whole <see cref="DemoReport"/>, camelCase, indented.</summary>
public static class DemoJson
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(DemoReport report) => JsonSerializer.Serialize(report, s_options);

    public static DemoReport? Deserialize(string json) => JsonSerializer.Deserialize<DemoReport>(json, s_options);
}

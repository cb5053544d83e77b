using System.Text.Json.Serialization;

namespace NvmeLm.ApiServer.Bench;

public sealed class BenchItemStatus
{
    [JsonPropertyName("observed")]
    public int? Observed { get; set; }
}

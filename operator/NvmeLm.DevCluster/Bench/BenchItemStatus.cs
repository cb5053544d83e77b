using System.Text.Json.Serialization;

namespace NvmeLm.DevCluster.Bench;

public sealed class BenchItemStatus
{
    [JsonPropertyName("observed")]
    public int? Observed { get; set; }
}

using System.Text.Json.Serialization;

namespace NvmeLm.DevCluster.Bench;

public sealed class BenchItemSpec
{
    [JsonPropertyName("step")]
    public int Step { get; set; }
}

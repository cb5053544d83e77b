using System.Text.Json.Serialization;

namespace NvmeLm.ApiServer.Bench;

public sealed class BenchItemSpec
{
    [JsonPropertyName("step")]
    public int Step { get; set; }
}

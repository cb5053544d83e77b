using System.Text.Json.Serialization;

namespace NvmeLm.ApiServer.Tests.Integration;

public sealed class WidgetSpec
{
    [JsonPropertyName("size")]
    public int Size { get; set; }

    [JsonPropertyName("color")]
    public string? Color { get; set; }
}

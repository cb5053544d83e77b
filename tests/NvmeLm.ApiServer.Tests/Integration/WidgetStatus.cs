using System.Text.Json.Serialization;

namespace NvmeLm.ApiServer.Tests.Integration;

public sealed class WidgetStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }
}

using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>A VMI condition (KubeVirt's own shape: type, status "True"/"False", reason, message).</summary>
public sealed class VmiCondition
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("status")]
    public string Status { get; set; } = "";

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

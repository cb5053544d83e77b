using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>VMI <c>status</c>: the fields the bridge reads.</summary>
public sealed class VmiStatus
{
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>virt-launcher pod UID → node name.</summary>
    [JsonPropertyName("activePods")]
    public Dictionary<string, string>? ActivePods { get; set; }

    [JsonPropertyName("conditions")]
    public List<VmiCondition>? Conditions { get; set; }
}

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

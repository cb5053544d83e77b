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

    [JsonPropertyName("migrationState")]
    public VmiMigrationState? MigrationState { get; set; }
}

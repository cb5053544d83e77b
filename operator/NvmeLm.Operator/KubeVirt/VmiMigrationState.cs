using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>VMI <c>status.migrationState</c>: the subset the bridge reads (reference §1).</summary>
public sealed class VmiMigrationState
{
    [JsonPropertyName("sourceNode")]
    public string? SourceNode { get; set; }

    [JsonPropertyName("targetNode")]
    public string? TargetNode { get; set; }

    [JsonPropertyName("targetPod")]
    public string? TargetPod { get; set; }

    [JsonPropertyName("migrationUid")]
    public string? MigrationUid { get; set; }

    [JsonPropertyName("completed")]
    public bool Completed { get; set; }

    [JsonPropertyName("failed")]
    public bool Failed { get; set; }
}

using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Bench;

/// <summary>The bench's custom resource as the watch decodes it.</summary>
public sealed class BenchItem : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public BenchItemSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public BenchItemStatus? Status { get; set; }
}

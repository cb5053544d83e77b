using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>Any object read for its metadata only.</summary>
public sealed class MetadataOnly : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}

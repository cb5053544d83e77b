using System.Text.Json.Serialization;
using k8s.Models;

namespace NvmeLm.Kube.Client;

/// <summary>The body of a list call: items plus the list's resourceVersion to start a watch from.</summary>
public sealed class ResourceList<T>
{
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public IList<T>? Items { get; set; }
}

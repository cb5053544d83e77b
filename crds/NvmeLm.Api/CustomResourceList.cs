using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.Api;

/// <summary>The list kind the API server returns for a collection of <typeparamref name="T"/>.</summary>
public class CustomResourceList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = NvmeLmApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<T> Items { get; set; } = [];
}

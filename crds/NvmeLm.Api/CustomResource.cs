using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.Api;

/// <summary>
/// Base of the nvmelm.io kinds: the shape KubeOps' <c>CustomKubernetesEntity</c> has, on plain
/// KubernetesClient, so the typed objects work with <see cref="KubernetesJson"/> and the generic client.
/// </summary>
public abstract class CustomResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : new()
    where TStatus : class
{
    protected CustomResource(string kind)
        : this(NvmeLmApi.ApiVersion, kind)
    {
    }

    /// <summary>For another group's kinds typed the same way (the operator's KubeVirt VMI/VMIM subsets).</summary>
    protected CustomResource(string apiVersion, string kind)
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();

    /// <summary>Written only through the status subresource; null until the first status write.</summary>
    [JsonPropertyName("status")]
    public TStatus? Status { get; set; }
}

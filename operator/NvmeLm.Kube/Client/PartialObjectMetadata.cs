using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.Kube.Client;

/// <summary>
/// An object of any kind read for its metadata only (<c>meta.k8s.io/v1 PartialObjectMetadata</c>): what a
/// <see cref="ResourceClient{T}"/> of this type asks the API server for, so a cache of a big kind (Nodes carry status,
/// images, capacity) keeps only names, labels, annotations and owners. KubernetesClient 21 has no model for it.
/// </summary>
public sealed class PartialObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Accept header of a get or a watch (each event's object).</summary>
    public const string ObjectMediaType = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

    /// <summary>Accept header of a list.</summary>
    public const string ListMediaType = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PartialObjectMetadata";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}

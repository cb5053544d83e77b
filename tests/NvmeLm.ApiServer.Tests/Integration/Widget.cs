using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>The test CRD's type for KubernetesClient's GenericClient.</summary>
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{TestCrds.Group}/{TestCrds.Version}";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }
}

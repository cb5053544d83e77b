using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.DevCluster.Tests.Integration;

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

public sealed class WidgetSpec
{
    [JsonPropertyName("size")]
    public int Size { get; set; }

    [JsonPropertyName("color")]
    public string? Color { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }
}

public sealed class WidgetList : IKubernetesObject<V1ListMeta>, IItems<Widget>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<Widget> Items { get; set; } = [];
}

using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.Kube.Tests;

/// <summary>A custom resource type of the tests' own, to prove the runtime is not tied to built-in kinds.</summary>
[KubernetesEntity(Group = TestWidget.Group, ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class TestWidget : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "test.nvmelm.io";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }

    public sealed class WidgetSpec
    {
        [JsonPropertyName("size")]
        public int Size { get; set; }
    }

    public sealed class WidgetStatus
    {
        [JsonPropertyName("observedSize")]
        public int ObservedSize { get; set; }

        [JsonPropertyName("conditions")]
        public IList<V1Condition>? Conditions { get; set; }
    }
}

using k8s;
using k8s.Models;
using NvmeLm.Kube.Client;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests.Integration;

/// <summary>Registers the tests' own <see cref="TestWidget"/> CRD (namespaced, with a status subresource).</summary>
internal static class WidgetCrd
{
    public static async Task<ResourceClient<TestWidget>> InstallAsync(Kubernetes kubernetes)
    {
        var crds = new ResourceClient<V1CustomResourceDefinition>(kubernetes);
        var openObject = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true };
        await crds.CreateAsync(new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "widgets." + TestWidget.Group },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = TestWidget.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget", ListKind = "WidgetList" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["spec"] = openObject,
                                    ["status"] = openObject,
                                },
                            },
                        },
                    },
                ],
            },
        }, CancellationToken.None);

        var widgets = new ResourceClient<TestWidget>(kubernetes);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await widgets.ListAsync("default", null, CancellationToken.None);
                return true;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                // The CRD is not served yet (established asynchronously).
                return false;
            }
        }, "the widget CRD served");
        return widgets;
    }

    public static TestWidget New(string name, int size) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new TestWidget.WidgetSpec { Size = size },
    };
}

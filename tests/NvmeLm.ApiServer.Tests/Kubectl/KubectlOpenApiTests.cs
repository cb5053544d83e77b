using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>
/// The OpenAPI documents as the real kubectl reads them: v3 (explain, and what helm validates with) and v2 as
/// gnostic protobuf (<c>explain --output=plaintext-openapiv2</c> goes through client-go's OpenAPISchema()).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class KubectlOpenApiTests : IClassFixture<KubectlClusterFixture>
{
    private readonly KubectlClusterFixture _cluster;

    public KubectlOpenApiTests(KubectlClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public async Task ExplainV3_Should_ShowBuiltinFieldFromTheModelSchema()
    {
        var explain = (await _cluster.Kubectl.RunAsync("explain", "deployment.spec.replicas")).EnsureSuccess().Stdout;

        Assert.Contains("KIND:       Deployment", explain);
        Assert.Contains("FIELD: replicas <integer>", explain);
        Assert.Contains("Number of desired pods.", explain);
    }

    [Theory]
    [InlineData("validatingadmissionpolicy.spec.validations", "RESOURCE: validations <[]Object>", "validations contain CEL expressions which is used to apply the validation.")]
    [InlineData("daemonset.spec.template.spec.containers.ports", "RESOURCE: ports <[]Object>", "List of ports to expose from the container.")]
    [InlineData("nvmemigration.spec.source", "RESOURCE: source <Object>", "node\t<string> -required-")]
    public async Task ExplainV2_Should_ReadTheProtobufDocument(string field, string resourceLine, string text)
    {
        var explain = (await _cluster.Kubectl.RunAsync("explain", field, "--output=plaintext-openapiv2")).EnsureSuccess().Stdout;

        Assert.Contains(resourceLine, explain);
        Assert.Contains(text, explain);
    }

    [Fact]
    public async Task OpenApiV2Json_Should_CarryBuiltinAndCrdDefinitionsWithListSemantics()
    {
        _cluster.CrdApply.EnsureSuccess();
        using var http = HttpHelpers.Client(_cluster.Server);

        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v2"))!;

        var definitions = document["definitions"]!.AsObject();
        Assert.Equal("2.0", document["swagger"]!.GetValue<string>());
        Assert.Equal("Deployment", definitions["io.k8s.api.apps.v1.Deployment"]!["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
        var ports = definitions["io.k8s.api.core.v1.Container"]!["properties"]!["ports"]!;
        Assert.Equal("map", ports["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal(["containerPort", "protocol"], ports["x-kubernetes-list-map-keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            definitions["io.nvmelm.v1alpha1.NvmeMigration"]!["properties"]!["metadata"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/apis/nvmelm.io/v1alpha1/namespaces/{namespace}/nvmemigrations/{name}"]!["patch"]);
    }
}

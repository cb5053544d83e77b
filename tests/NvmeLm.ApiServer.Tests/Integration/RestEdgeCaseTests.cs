using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public sealed class RestEdgeCaseTests
{
    private static JsonObject ConfigMap(string? name = null, string? generateName = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["generateName"] = generateName },
    };

    [Fact]
    public async Task Create_Should_GenerateName_When_OnlyGenerateNameIsGiven()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);

        var (code, created) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap(generateName: "job-"));

        Assert.Equal(201, code);
        Assert.Matches("^job-[a-z0-9]{5}$", created["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Should_Return422_When_NameIsMissingOrInvalid()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);

        var (missingCode, missing) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap());
        var (badCode, bad) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("Not_Valid"));

        Assert.Equal(422, missingCode);
        Assert.Equal("FieldValueRequired", missing["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(422, badCode);
        Assert.Equal("metadata.name", bad["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task DryRun_Should_ValidateAndAnswer_WithoutStoring()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);
        long before = server.Store.CurrentResourceVersion;

        var (code, _) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps?dryRun=All", ConfigMap("dry"));
        var (getCode, _) = await HttpHelpers.SendAsync(http, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/dry");

        Assert.Equal(201, code);
        Assert.Equal(404, getCode);
        Assert.Equal(before, server.Store.CurrentResourceVersion);
    }

    [Fact]
    public async Task DeleteCollection_Should_DeleteOnlyMatchingObjects()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a", Labels = new Dictionary<string, string> { ["x"] = "1" } } }, "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "b" } }, "default");

        await client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "x=1");

        Assert.Equal(["b"], (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task NoOpUpdate_Should_KeepResourceVersion()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "same" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"1"}}""", V1Patch.PatchType.MergePatch), "same", "default");

        Assert.Equal(created.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/widgets")]
    [InlineData("/apis/nothere.io/v1/things")]
    [InlineData("/api/v1/namespaces/default/nodes")]
    [InlineData("/api/v1/namespaces/default/configmaps/x/scale")]
    public async Task UnknownPaths_Should_Return404Status(string path)
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);

        var (code, status) = await HttpHelpers.SendAsync(http, HttpMethod.Get, path);

        Assert.Equal(404, code);
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Should_Return400_When_BodyIsNotJson()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);
        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");

        using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps", content);

        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task Create_Should_Return415_When_ProtobufKindIsNotSupported()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);
        // k8s magic + runtime.Unknown{typeMeta{apiVersion:"v1", kind:"Pod"}}.
        byte[] body = [.. "k8s\0"u8, 0x0a, 0x09, 0x0a, 0x02, (byte)'v', (byte)'1', 0x12, 0x03, (byte)'P', (byte)'o', (byte)'d'];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/vnd.kubernetes.protobuf");

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods", content);

        Assert.Equal(415, (int)response.StatusCode);
    }
}

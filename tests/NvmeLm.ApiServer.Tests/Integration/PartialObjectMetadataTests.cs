using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>Metadata-only get, list and watch (client-go's metadata client): objects reduced to PartialObjectMetadata.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PartialObjectMetadataTests
{
    private const string AsObject = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
    private const string AsList = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

    [Fact]
    public async Task List_Should_ReturnAPartialObjectMetadataListWithOnlyMetadata_When_AcceptAsksForIt()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await CreateNodeAsync(client, "n1");
        await CreateNodeAsync(client, "n2");
        using var http = HttpHelpers.Client(server);
        http.DefaultRequestHeaders.Accept.ParseAdd(AsList);

        var list = JsonNode.Parse(await http.GetStringAsync("/api/v1/nodes?limit=1"))!.AsObject();

        Assert.Equal(("PartialObjectMetadataList", "meta.k8s.io/v1"), (list["kind"]!.GetValue<string>(), list["apiVersion"]!.GetValue<string>()));
        Assert.NotNull(list["metadata"]!["resourceVersion"]);
        Assert.NotNull(list["metadata"]!["continue"]);
        var item = Assert.Single(list["items"]!.AsArray())!.AsObject();
        Assert.Equal(["kind", "apiVersion", "metadata"], item.Select(p => p.Key));
        Assert.Equal("PartialObjectMetadata", item["kind"]!.GetValue<string>());
        Assert.Equal("n1", item["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("worker", item["metadata"]!["labels"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetAndWatch_Should_SendOnlyMetadata_When_AcceptAsksForPartialObjectMetadata()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await CreateNodeAsync(client, "n1");
        using var http = HttpHelpers.Client(server);
        http.DefaultRequestHeaders.Accept.ParseAdd(AsObject);

        var one = JsonNode.Parse(await http.GetStringAsync("/api/v1/nodes/n1"))!.AsObject();
        string watch = await http.GetStringAsync("/api/v1/nodes?watch=true&resourceVersion=0&timeoutSeconds=1");

        Assert.Equal(["kind", "apiVersion", "metadata"], one.Select(p => p.Key));
        Assert.Equal("PartialObjectMetadata", one["kind"]!.GetValue<string>());
        var added = JsonNode.Parse(watch.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0])!;
        Assert.Equal("ADDED", added["type"]!.GetValue<string>());
        Assert.Equal(["kind", "apiVersion", "metadata"], added["object"]!.AsObject().Select(p => p.Key));
        Assert.Equal("n1", added["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_Should_Answer406_When_AskedForOneObjectsMetadata()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);
        http.DefaultRequestHeaders.Accept.ParseAdd(AsObject);

        using var response = await http.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("NotAcceptable", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>());
    }

    private static Task<V1Node> CreateNodeAsync(Kubernetes client, string name) => client.CoreV1.CreateNodeAsync(new V1Node
    {
        Metadata = new() { Name = name, Labels = new Dictionary<string, string> { ["role"] = "worker" } },
        Status = new V1NodeStatus { NodeInfo = new V1NodeSystemInfo { KubeletVersion = "v1.35.0" } },
    });
}

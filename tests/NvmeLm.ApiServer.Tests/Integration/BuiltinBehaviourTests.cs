using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public sealed class BuiltinBehaviourTests
{
    [Fact]
    public async Task Events_Should_BeOneCollection_ServedAsCoreAndEventsV1()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();

        await client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new() { Name = "e1" },
            EventTime = DateTime.UtcNow,
            ReportingController = "nvmelm.io/operator",
            ReportingInstance = "op-0",
            Action = "Migrate",
            Reason = "PhaseChanged",
            Note = "now Ready",
            Type = "Normal",
            Regarding = new V1ObjectReference { Kind = "NvmeMigration", Name = "m1", NamespaceProperty = "default" },
        }, "default");
        var core = await client.CoreV1.ReadNamespacedEventAsync("e1", "default");
        var filtered = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=m1,reason=PhaseChanged");

        Assert.Equal("now Ready", core.Message);
        Assert.Equal("m1", core.InvolvedObject.Name);
        Assert.Equal("nvmelm.io/operator", core.ReportingComponent);
        Assert.Equal(["e1"], filtered.Items.Select(e => e.Metadata.Name));
    }

    [Fact]
    public async Task Table_Should_RenderBuiltinColumns_When_KubectlAcceptHeaderAsksForIt()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new() { Name = "n1", Labels = new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = "" } },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "False" }], NodeInfo = new V1NodeSystemInfo { KubeletVersion = "v1.35.0" } },
        });
        using var http = HttpHelpers.Client(server);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");

        var table = JsonNode.Parse(await http.GetStringAsync("/api/v1/nodes"))!;

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal(["Name", "Status", "Roles", "Age", "Version"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.Equal(["n1", "NotReady", "control-plane"], cells[..3]);
        Assert.Equal("PartialObjectMetadata", table["rows"]![0]!["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task WatchPathPrefix_Should_StreamEventsForOneObject()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "one" } }, "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "two" } }, "default");
        using var http = HttpHelpers.Client(server);

        string body = await http.GetStringAsync("/api/v1/watch/namespaces/default/configmaps/two?timeoutSeconds=1");

        var events = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["two"], events.Select(e => e["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("ADDED", events[0]["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendInitialEvents_Should_EndInitialListWithAnnotatedBookmark()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" } }, "default");
        using var http = HttpHelpers.Client(server);

        string body = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1");

        var events = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal("ADDED", events[0]["type"]!.GetValue<string>());
        Assert.Equal("BOOKMARK", events[1]["type"]!.GetValue<string>());
        Assert.Equal("true", events[1]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task OrphanPropagation_Should_KeepDependents_AndDropTheirOwnerReference()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { ControllerInterval = TimeSpan.FromMilliseconds(20) });
        using var client = server.CreateClient();
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "owner" } }, "default");
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new() { Name = "kept", OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }] },
        }, "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Orphan");

        await Eventually.TrueAsync(async () => (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Count == 0, "owner deleted");
        var kept = await client.CoreV1.ReadNamespacedSecretAsync("kept", "default");
        Assert.True(kept.Metadata.OwnerReferences is null || kept.Metadata.OwnerReferences.Count == 0);
    }

    [Fact]
    public async Task ForegroundPropagation_Should_DeleteDependentsBeforeOwner()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { ControllerInterval = TimeSpan.FromMilliseconds(20) });
        using var client = server.CreateClient();
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "owner" } }, "default");
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new()
            {
                Name = "held",
                Finalizers = ["test/hold"],
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true }],
            },
        }, "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        await Eventually.TrueAsync(async () => (await client.CoreV1.ReadNamespacedSecretAsync("held", "default")).Metadata.DeletionTimestamp is not null, "dependent deleting");
        var ownerWhileDependentExists = await client.CoreV1.ReadNamespacedConfigMapAsync("owner", "default");
        await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", "default");

        Assert.Contains("foregroundDeletion", ownerWhileDependentExists.Metadata.Finalizers);
        await Eventually.TrueAsync(async () => (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Count == 0, "owner deleted after dependent");
    }

    [Fact]
    public async Task Discovery_Should_AnswerAggregatedList_When_KubectlAsksForApidiscoveryV2()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var http = HttpHelpers.Client(server);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json"));

        using var response = await http.SendAsync(request);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("apidiscovery.k8s.io", response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "g").Value);
        Assert.Equal("APIGroupDiscoveryList", list["kind"]!.GetValue<string>());
        var widgets = list["items"]!.AsArray().Single(g => g!["metadata"]!["name"]?.GetValue<string>() == "test.nvmelm.io")!["versions"]![0]!["resources"]![0]!;
        Assert.Equal(("widgets", "Namespaced", "Widget"), (widgets["resource"]!.GetValue<string>(), widgets["scope"]!.GetValue<string>(), widgets["responseKind"]!["kind"]!.GetValue<string>()));
        Assert.Equal("status", widgets["subresources"]![0]!["subresource"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_Should_AnswerLegacyJson_When_PlainJsonIsRequested()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);

        using var response = await http.GetAsync("/apis");
        var groups = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("APIGroupList", groups["kind"]!.GetValue<string>());
        Assert.Contains(groups["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == "coordination.k8s.io");
    }
}

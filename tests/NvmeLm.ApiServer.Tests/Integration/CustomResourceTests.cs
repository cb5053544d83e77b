using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public sealed class CustomResourceTests
{
    private const string WidgetsPath = "/apis/test.nvmelm.io/v1/namespaces/default/widgets";

    [Fact]
    public async Task CreateCrd_Should_EstablishAndServeResource_Immediately()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();

        var crd = await TestCrds.InstallWidgetAsync(client);

        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "NamesAccepted" && c.Status == "True");
        using var http = HttpHelpers.Client(server);
        var (code, list) = await HttpHelpers.SendAsync(http, HttpMethod.Get, "/apis/test.nvmelm.io/v1");
        Assert.Equal(200, code);
        var widgets = list["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "widgets")!;
        Assert.Equal(["wdg"], widgets["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains(list["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "widgets/status");
    }

    [Fact]
    public async Task GenericClient_Should_CreateReadListWidgets_WithDefaultsAndPruning()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var http = HttpHelpers.Client(server);
        var body = TestCrds.Widget("w1", 3);
        body["spec"]!["unknownField"] = "dropped";
        body["metadata"]!["labels"] = new JsonObject { ["app"] = "demo" };

        var (code, created) = await HttpHelpers.SendAsync(http, HttpMethod.Post, WidgetsPath, body);
        using var generic = new GenericClient(client, TestCrds.Group, TestCrds.Version, TestCrds.Plural, disposeClient: false);
        var read = await generic.ReadNamespacedAsync<Widget>("default", "w1");
        var list = await generic.ListNamespacedAsync<WidgetList>("default");

        Assert.Equal(201, code);
        Assert.Null(created["spec"]!["unknownField"]);
        Assert.Equal("red", read.Spec.Color);
        Assert.Equal(3, read.Spec.Size);
        Assert.Equal("demo", read.Metadata.Labels["app"]);
        Assert.Equal(["w1"], list.Items.Select(w => w.Metadata.Name));
    }

    [Fact]
    public async Task Create_Should_Return422WithCauses_When_SchemaIsViolated()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var http = HttpHelpers.Client(server);

        var (code, status) = await HttpHelpers.SendAsync(http, HttpMethod.Post, WidgetsPath, TestCrds.Widget("big", 200));

        Assert.Equal(422, code);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        var cause = status["details"]!["causes"]!.AsArray().Single()!;
        Assert.Equal("spec.size", cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.StartsWith("Widget.test.nvmelm.io \"big\" is invalid: spec.size: Invalid value: 200", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_Should_Return422WithRuleMessage_When_CelTransitionRuleFails()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var generic = new GenericClient(client, TestCrds.Group, TestCrds.Version, TestCrds.Plural, disposeClient: false);
        var widget = await generic.CreateNamespacedAsync(new Widget { Metadata = new() { Name = "w" }, Spec = new() { Size = 5 } }, "default");

        widget.Spec.Size = 4;
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => generic.ReplaceNamespacedAsync(widget, "default", "w"));

        Assert.Equal((HttpStatusCode)422, error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Contains("size may only grow", status.Message);
        Assert.Equal("spec", status.Details.Causes.Single().Field);
    }

    [Fact]
    public async Task StatusSubresource_Should_SeparateSpecAndStatusWrites_AndTrackGeneration()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var generic = new GenericClient(client, TestCrds.Group, TestCrds.Version, TestCrds.Plural, disposeClient: false);
        var created = await generic.CreateNamespacedAsync(new Widget { Metadata = new() { Name = "w" }, Spec = new() { Size = 1 }, Status = new() { Phase = "Ignored" } }, "default");
        Assert.Null(created.Status);
        Assert.Equal(1, created.Metadata.Generation);

        var afterStatus = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<Widget>(
            new V1Patch("""{"status":{"phase":"Ready"},"spec":{"size":50}}""", V1Patch.PatchType.MergePatch), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "w");
        Assert.Equal("Ready", afterStatus.Status!.Phase);
        Assert.Equal(1, afterStatus.Spec.Size);
        Assert.Equal(1, afterStatus.Metadata.Generation);

        var afterSpec = await generic.PatchNamespacedAsync<Widget>(
            new V1Patch("""{"status":{"phase":"Lost"},"spec":{"size":2}}""", V1Patch.PatchType.MergePatch), "default", "w");
        Assert.Equal("Ready", afterSpec.Status!.Phase);
        Assert.Equal(2, afterSpec.Spec.Size);
        Assert.Equal(2, afterSpec.Metadata.Generation);
    }

    [Fact]
    public async Task Update_Should_Return422_When_CustomResourcePutHasNoResourceVersion()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var http = HttpHelpers.Client(server);
        await HttpHelpers.SendAsync(http, HttpMethod.Post, WidgetsPath, TestCrds.Widget("w", 1));

        var (code, status) = await HttpHelpers.SendAsync(http, HttpMethod.Put, WidgetsPath + "/w", TestCrds.Widget("w", 2));

        Assert.Equal(422, code);
        Assert.Equal("metadata.resourceVersion", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_Should_Return415_When_StrategicMergePatchTargetsCustomResource()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var http = HttpHelpers.Client(server);
        await HttpHelpers.SendAsync(http, HttpMethod.Post, WidgetsPath, TestCrds.Widget("w", 1));

        var (code, status) = await HttpHelpers.SendAsync(http, HttpMethod.Patch, WidgetsPath + "/w", new JsonObject(), "application/strategic-merge-patch+json");

        Assert.Equal(415, code);
        Assert.Equal("UnsupportedMediaType", status["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteCrd_Should_DeleteInstancesAndStopServing()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { ControllerInterval = TimeSpan.FromMilliseconds(20) });
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var http = HttpHelpers.Client(server);
        await HttpHelpers.SendAsync(http, HttpMethod.Post, WidgetsPath, TestCrds.Widget("w", 1));

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.test.nvmelm.io");

        await Eventually.TrueAsync(async () => (await HttpHelpers.SendAsync(http, HttpMethod.Get, WidgetsPath)).Code == 404, "widgets no longer served");
        Assert.Empty((await client.ApiextensionsV1.ListCustomResourceDefinitionAsync()).Items);
    }

    [Fact]
    public async Task FieldSelector_Should_UseCrdSelectableFields_And_RejectOthers()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var http = HttpHelpers.Client(server);
        var blue = TestCrds.Widget("blue", 1);
        blue["spec"]!["color"] = "blue";
        await HttpHelpers.SendAsync(http, HttpMethod.Post, WidgetsPath, blue);
        await HttpHelpers.SendAsync(http, HttpMethod.Post, WidgetsPath, TestCrds.Widget("red", 1));

        var (code, list) = await HttpHelpers.SendAsync(http, HttpMethod.Get, WidgetsPath + "?fieldSelector=spec.color%3Dblue");
        var (badCode, _) = await HttpHelpers.SendAsync(http, HttpMethod.Get, WidgetsPath + "?fieldSelector=spec.size%3D1");

        Assert.Equal(200, code);
        Assert.Equal(["blue"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(400, badCode);
    }
}

using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>managedFields over HTTP as kube records them: per manager and operation, with the status subresource named.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ManagedFieldsTests
{
    private const string Widgets = "/apis/test.nvmelm.io/v1/namespaces/default/widgets";

    [Fact]
    public async Task ApplyAndUpdate_Should_RecordManagersPerSubresource_And_MainApplyShouldIgnoreStatus()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await TestCrds.InstallWidgetAsync(client);
        using var http = HttpHelpers.Client(server);
        var widget = TestCrds.Widget("w", 3);
        widget["spec"]!["color"] = "blue";
        widget["status"] = new JsonObject { ["phase"] = "Ignored" };

        var (created, _) = await HttpHelpers.SendAsync(http, HttpMethod.Patch, $"{Widgets}/w?fieldManager=creator", widget, "application/apply-patch+yaml");
        var status = new JsonObject { ["apiVersion"] = "test.nvmelm.io/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "w" }, ["status"] = new JsonObject { ["phase"] = "Ready" } };
        await HttpHelpers.SendAsync(http, HttpMethod.Patch, $"{Widgets}/w/status?fieldManager=agent", status, "application/apply-patch+yaml");
        var (_, patched) = await HttpHelpers.SendAsync(http, HttpMethod.Patch, $"{Widgets}/w?fieldManager=scaler",
            new JsonObject { ["spec"] = new JsonObject { ["size"] = 5 } }, "application/merge-patch+json");

        Assert.Equal(201, created);
        Assert.Equal("Ready", patched["status"]!["phase"]!.GetValue<string>());
        var entries = patched["metadata"]!["managedFields"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(["agent/Apply/status", "creator/Apply/", "scaler/Update/"], entries.Select(e =>
            $"{e["manager"]}/{e["operation"]}/{e["subresource"]}").Order(StringComparer.Ordinal));
        Assert.Equal("""{"f:status":{"f:phase":{}}}""", Fields(entries, "agent"));
        Assert.Equal("""{"f:spec":{"f:size":{}}}""", Fields(entries, "scaler"));
        // The creator's apply named status on the main resource: ignored, as kube's reset fields do; size moved to the scaler.
        Assert.Equal("""{"f:spec":{"f:color":{}}}""", Fields(entries, "creator"));
    }

    private static string Fields(List<JsonObject> entries, string manager) =>
        entries.Single(e => e["manager"]!.GetValue<string>() == manager)["fieldsV1"]!.ToJsonString();
}

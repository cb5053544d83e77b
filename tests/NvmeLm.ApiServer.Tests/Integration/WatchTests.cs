using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Faults;

namespace NvmeLm.ApiServer.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public sealed class WatchTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watch_Should_StreamAddedModifiedDeleted_InOrder()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await using var events = new WatchRecorder<V1ConfigMap>(ct => client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: ct));

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "w" } }, "default");
        created.Data = new Dictionary<string, string> { ["a"] = "1" };
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "w", "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("w", "default");

        var seen = await events.TakeAsync(3, s_wait);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], seen.Select(e => e.Type));
        Assert.Equal("1", seen[1].Object.Data["a"]);
    }

    [Fact]
    public async Task Watch_Should_ResumeWithoutLoss_When_StreamIsDroppedAndRestartedFromLastResourceVersion()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        var first = new WatchRecorder<V1ConfigMap>(ct => client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: ct));
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "before" } }, "default");
        var beforeDrop = await first.TakeAsync(1, s_wait);

        server.Faults.CloseAllWatches();
        await first.Completion.WaitAsync(s_wait);
        await first.DisposeAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "while-down" } }, "default");
        await using var second = new WatchRecorder<V1ConfigMap>(ct => client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: beforeDrop[0].Object.Metadata.ResourceVersion, cancellationToken: ct));
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "after" } }, "default");

        var resumed = await second.TakeAsync(2, s_wait);
        Assert.Equal(["while-down", "after"], resumed.Select(e => e.Object.Metadata.Name));
    }

    [Fact]
    public async Task Watch_Should_SendErrorEventWith410_When_ResourceVersionIsOlderThanHistory()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { WatchHistoryPerResource = 2 });
        using var client = server.CreateClient();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        for (int i = 0; i < 5; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"c{i}" } }, "default");
        }
        using var http = HttpHelpers.Client(server);

        string body = await http.GetStringAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={list.Metadata.ResourceVersion}");

        var errorEvent = JsonNode.Parse(body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single())!;
        Assert.Equal("ERROR", errorEvent["type"]!.GetValue<string>());
        Assert.Equal(410, errorEvent["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", errorEvent["object"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_Should_Raise410InClient_When_FaultForcesGone()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        server.Faults.ForceGoneOnNextWatch(new RequestMatch(Resource: "configmaps"));

        // KubernetesClient reports an ERROR event through onError (a KubernetesException carrying the Status) and ends the watch.
        var errors = new List<Exception>();
        var received = new List<WatchEventType>();
        await foreach (var (type, _) in client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: "1", onError: errors.Add))
        {
            received.Add(type);
        }

        Assert.Empty(received);
        var status = Assert.IsType<KubernetesException>(Assert.Single(errors)).Status;
        Assert.Equal(410, status.Code);
    }

    [Fact]
    public async Task Watch_Should_SendBookmarks_When_Allowed()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        using var client = server.CreateClient();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await using var events = new WatchRecorder<V1ConfigMap>(ct => client.CoreV1.WatchListNamespacedConfigMapAsync("default", allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: ct));

        var bookmark = (await events.TakeAsync(1, s_wait)).Single();

        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.True(long.Parse(bookmark.Object.Metadata.ResourceVersion) >= long.Parse(list.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_Should_End_When_TimeoutSecondsPass()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);

        string body = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=1").WaitAsync(s_wait);

        Assert.Equal("", body);
    }

    [Fact]
    public async Task Watch_Should_ReportDeleted_When_ObjectLeavesLabelSelector()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c", Labels = new Dictionary<string, string> { ["keep"] = "yes" } } }, "default");
        await using var events = new WatchRecorder<V1ConfigMap>(ct => client.CoreV1.WatchListConfigMapForAllNamespacesAsync(labelSelector: "keep=yes", cancellationToken: ct));
        var initial = await events.TakeAsync(1, s_wait);

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"keep":"no"}}}""", V1Patch.PatchType.MergePatch), "c", "default");

        var left = await events.TakeAsync(1, s_wait);
        Assert.Equal(WatchEventType.Added, initial[0].Type);
        Assert.Equal(WatchEventType.Deleted, left[0].Type);
    }
}

using k8s.Models;
using NvmeLm.ApiServer;
using NvmeLm.ApiServer.Faults;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Metrics;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests.Integration;

[Collection(ApiServerCollection.Name)]
public sealed class InformerIntegrationTests
{
    private const string Ns = "default";

    private static KubeMetrics NewMetrics() => new(Prometheus.Metrics.NewCustomRegistry());

    private static V1ConfigMap ConfigMap(string name, string value, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Labels = labels },
        Data = new Dictionary<string, string> { ["value"] = value },
    };

    /// <summary>
    /// A started watch is not yet a served one: creating an object and seeing its event proves the watch is
    /// connected, so a fault injected next hits that watch.
    /// </summary>
    private static async Task WaitForLiveWatchAsync(ResourceClient<V1ConfigMap> configMaps, RecordingHandler<V1ConfigMap> handler)
    {
        await configMaps.CreateAsync(ConfigMap("probe", "0"), CancellationToken.None);
        await Eventually.TrueAsync(() => handler.Saw("add default/probe"), "the probe object through the watch");
    }

    [Fact]
    public async Task Informer_Should_SyncCacheAndDeliverEvents_When_ObjectsChange()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        await configMaps.CreateAsync(ConfigMap("before", "1"), CancellationToken.None);
        var informer = new Informer<V1ConfigMap>(configMaps, new InformerOptions { Namespace = Ns }, metrics: NewMetrics());
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
        Assert.True(informer.HasSynced);
        Assert.Equal("1", informer.Cache.Get(new NamespacedName(Ns, "before"))!.Data["value"]);

        var created = await configMaps.CreateAsync(ConfigMap("during", "a"), CancellationToken.None);
        await Eventually.TrueAsync(() => handler.Saw("add default/during"), "add event");
        created.Data["value"] = "b";
        await configMaps.ReplaceAsync(created, CancellationToken.None);
        await Eventually.TrueAsync(() => handler.Saw("update default/during"), "update event");
        Assert.Equal("b", informer.Cache.Get(new NamespacedName(Ns, "during"))!.Data["value"]);
        Assert.Same(informer.Cache.Get(new NamespacedName(Ns, "during")), informer.Cache.GetByUid(created.Metadata.Uid));

        await configMaps.DeleteAsync(new NamespacedName(Ns, "during"), CancellationToken.None);
        await Eventually.TrueAsync(() => handler.Saw("delete default/during"), "delete event");
        Assert.Null(informer.Cache.Get(new NamespacedName(Ns, "during")));
        Assert.Null(informer.Cache.GetByUid(created.Metadata.Uid));
        Assert.Equal(new[] { "add default/before", "add default/during", "update default/during", "delete default/during" }, handler.Events);

        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Informer_Should_SeeOnlySelectedObject_When_FieldSelectorNamesIt()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        var informer = new Informer<V1ConfigMap>(
            configMaps, new InformerOptions { FieldSelector = "metadata.name=mine" }, metrics: NewMetrics());
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        await configMaps.CreateAsync(ConfigMap("other", "x"), CancellationToken.None);
        await configMaps.CreateAsync(ConfigMap("mine", "y"), CancellationToken.None);
        await Eventually.TrueAsync(() => handler.Saw("add default/mine"), "add of the selected object");

        Assert.Equal(new[] { "add default/mine" }, handler.Events);
        Assert.Equal(1, informer.Cache.Count);
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Informer_Should_WatchAllNamespacesWithLabelSelector_When_ClusterScoped()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        var informer = new Informer<V1ConfigMap>(
            configMaps, new InformerOptions { Namespace = null, LabelSelector = "app=nvme" }, metrics: NewMetrics());
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        var labels = new Dictionary<string, string> { ["app"] = "nvme" };
        await configMaps.CreateAsync(ConfigMap("unlabelled", "x"), CancellationToken.None);
        var inSystem = ConfigMap("in-system", "y", labels);
        inSystem.Metadata.NamespaceProperty = "kube-system";
        await configMaps.CreateAsync(inSystem, CancellationToken.None);
        await configMaps.CreateAsync(ConfigMap("in-default", "z", labels), CancellationToken.None);
        await Eventually.TrueAsync(() => informer.Cache.Count == 2, "both labelled objects");

        Assert.NotNull(informer.Cache.Get(new NamespacedName("kube-system", "in-system")));
        Assert.NotNull(informer.Cache.Get(new NamespacedName(Ns, "in-default")));
        Assert.DoesNotContain("add default/unlabelled", handler.Events);
        await Assert.ThrowsAsync<InvalidOperationException>(() => informer.RunAsync(CancellationToken.None));
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Informer_Should_AdvanceResourceVersionFromBookmarks_When_WatchedKindIsIdle()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        using var kubernetes = server.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        var informer = new Informer<V1ConfigMap>(configMaps, new InformerOptions { Namespace = Ns }, metrics: NewMetrics());
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        // Writes to another kind move the server's resourceVersion; only bookmarks can tell the idle informer.
        var secret = await new ResourceClient<V1Secret>(kubernetes).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = Ns },
        }, CancellationToken.None);
        var target = long.Parse(secret.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);

        await Eventually.TrueAsync(
            () => long.Parse(informer.LastResourceVersion ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= target,
            "a bookmark carrying the newer resourceVersion");
        Assert.Equal(0, informer.Cache.Count);
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Informer_Should_RetryUntilSynced_When_ListFails()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        await configMaps.CreateAsync(ConfigMap("present", "1"), CancellationToken.None);
        server.Faults.FailNext(3, 500, new RequestMatch(Verb: "list", Resource: "configmaps"));
        var informer = new Informer<V1ConfigMap>(configMaps, new InformerOptions
        {
            Namespace = Ns,
            InitialBackoff = TimeSpan.FromMilliseconds(10),
            MaxBackoff = TimeSpan.FromMilliseconds(50),
        }, metrics: NewMetrics());
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        Assert.NotNull(informer.Cache.Get(new NamespacedName(Ns, "present")));
        Assert.Equal(new[] { 500, 500, 500, 200 }, server.Audit.Where(r => r.Verb == "list" && r.Resource == "configmaps").Select(r => r.StatusCode));
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Informer_Should_ResumeWithoutRelist_When_WatchesAreClosed()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        var informer = new Informer<V1ConfigMap>(configMaps, new InformerOptions { Namespace = Ns }, metrics: NewMetrics());
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
        await WaitForLiveWatchAsync(configMaps, handler);

        server.Faults.CloseAllWatches();
        await configMaps.CreateAsync(ConfigMap("after-drop", "1"), CancellationToken.None);

        await Eventually.TrueAsync(() => handler.Saw("add default/after-drop"), "event made while the watch was down");
        Assert.Equal(2, informer.WatchCount);
        Assert.Equal(1, informer.ListCount);
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Informer_Should_Relist_When_WatchAnswersGone()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        await configMaps.CreateAsync(ConfigMap("doomed", "1"), CancellationToken.None);
        var informer = new Informer<V1ConfigMap>(configMaps, new InformerOptions { Namespace = Ns }, metrics: NewMetrics());
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
        await WaitForLiveWatchAsync(configMaps, handler);

        // The next watch gets 410 Gone; the changes below must still reach the cache through the re-list.
        server.Faults.ForceGoneOnNextWatch();
        server.Faults.CloseAllWatches();
        await configMaps.DeleteAsync(new NamespacedName(Ns, "doomed"), CancellationToken.None);
        await configMaps.CreateAsync(ConfigMap("born", "2"), CancellationToken.None);

        await Eventually.TrueAsync(() => informer.ListCount == 2, "a second list after 410 Gone");
        await Eventually.TrueAsync(
            () => informer.Cache.Get(new NamespacedName(Ns, "born")) is not null && informer.Cache.Get(new NamespacedName(Ns, "doomed")) is null,
            "cache matches the server after the re-list");
        await Eventually.TrueAsync(() => handler.Saw("delete default/doomed") && handler.Saw("add default/born"), "events for the missed changes");
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Informer_Should_RestartWatch_When_WatchStaysSilentPastStallTimeout()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        var informer = new Informer<V1ConfigMap>(
            configMaps, new InformerOptions { Namespace = Ns, StallTimeout = TimeSpan.FromSeconds(1) }, metrics: NewMetrics());
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
        await WaitForLiveWatchAsync(configMaps, handler);

        // The re-watch after the drop hangs without a byte for a minute (a half-open connection): only the
        // watchdog can get the informer going again within the test's timeout.
        server.Faults.DelayNext(1, TimeSpan.FromSeconds(60), new RequestMatch(Verb: "watch", Resource: "configmaps"));
        server.Faults.CloseAllWatches();
        await configMaps.CreateAsync(ConfigMap("after-stall", "1"), CancellationToken.None);

        await Eventually.TrueAsync(() => handler.Saw("add default/after-stall"), "event after the stalled watch", TimeSpan.FromSeconds(15));
        Assert.True(informer.StallRestartCount >= 1);
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }
}

using System.Collections.Concurrent;
using k8s.Models;
using NvmeLm.ApiServer;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Queue;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests.Integration;

[Collection(ApiServerCollection.Name)]
public sealed class ControllerIntegrationTests
{
    [Fact]
    public async Task Controller_Should_ActOnEachResultKind_When_ReconcilerReturnsIt()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var metrics = new KubeMetrics(Prometheus.Metrics.NewCustomRegistry());
        var informer = new Informer<TestWidget>(widgets, new InformerOptions { Namespace = "default" }, metrics: metrics);
        var reconciler = new ScriptedReconciler();
        var controller = new Controller<TestWidget>(informer, reconciler, new ControllerOptions
        {
            Name = "widgets",
            MaxConcurrentReconciles = 3,
            Backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)),
        }, metrics: metrics);
        // Reconciles finished with their outcome applied (queue and metrics), per key: what the assertions below count on.
        var finished = new ConcurrentDictionary<string, int>();
        controller.Reconciled += (key, _) => finished.AddOrUpdate(key.Name, 1, (_, n) => n + 1);
        using var stop = new CancellationTokenSource();
        var informerRun = informer.RunAsync(stop.Token);
        var controllerRun = controller.RunAsync(stop.Token);

        await widgets.CreateAsync(WidgetCrd.New("flaky", 1), CancellationToken.None);
        await widgets.CreateAsync(WidgetCrd.New("bad", 1), CancellationToken.None);
        await widgets.CreateAsync(WidgetCrd.New("waiting", 1), CancellationToken.None);
        await widgets.CreateAsync(WidgetCrd.New("throws", 1), CancellationToken.None);

        await Eventually.TrueAsync(() => finished.GetValueOrDefault("flaky") == 3, "flaky: two failures then success");
        await Eventually.TrueAsync(() => finished.GetValueOrDefault("bad") == 1, "bad: terminal");
        await Eventually.TrueAsync(() => finished.GetValueOrDefault("waiting") >= 3, "waiting: requeued after its delay");
        await Eventually.TrueAsync(() => finished.GetValueOrDefault("throws") >= 3, "throws: exceptions retried");
        // Terminal and plain success leave nothing behind in the queue: no later reconcile of these keys can come.
        await Eventually.TrueAsync(() => !controller.Queue.IsQueued(new NamespacedName("default", "bad"))
            && !controller.Queue.IsQueued(new NamespacedName("default", "flaky")), "bad and flaky done for good");

        Assert.Equal(1, reconciler.Calls("bad"));
        Assert.Equal(3, reconciler.Calls("flaky"));
        Assert.Equal(1, reconciler.MaxConcurrentPerKey);
        Assert.Equal(0, controller.Queue.Failures(new NamespacedName("default", "flaky")));
        Assert.True(controller.Queue.Failures(new NamespacedName("default", "throws")) >= 3);
        Assert.Equal(1, metrics.ReconcileTotal.WithLabels("widgets", "success").Value);
        Assert.True(metrics.ReconcileTotal.WithLabels("widgets", "requeue_after").Value >= 3);
        Assert.True(metrics.ReconcileErrors.WithLabels("widgets").Value >= 6);
        Assert.Equal(1, metrics.TerminalReconcileErrors.WithLabels("widgets").Value);
        Assert.True(metrics.ReconcileTime.WithLabels("widgets").Count >= 8);

        stop.Cancel();
        await Task.WhenAll(informerRun, controllerRun).WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Controller_Should_ReconcileMappedKeysAndResync_When_OtherKindChangesOrPeriodElapses()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var configMaps = new ResourceClient<V1ConfigMap>(kubernetes);
        var metrics = new KubeMetrics(Prometheus.Metrics.NewCustomRegistry());
        var widgetInformer = new Informer<TestWidget>(widgets, new InformerOptions { Namespace = "default" }, metrics: metrics);
        var configMapInformer = new Informer<V1ConfigMap>(configMaps, new InformerOptions { Namespace = "default" }, metrics: metrics);
        var reconciler = new CountingReconciler();
        var controller = new Controller<TestWidget>(widgetInformer, reconciler, new ControllerOptions
        {
            Name = "widgets-mapped",
            ResyncPeriod = TimeSpan.FromMilliseconds(200),
        }, metrics: metrics);
        // A ConfigMap names the widget it belongs to in its "widget" data key.
        controller.Watches(configMapInformer, cm => cm.Data?.TryGetValue("widget", out var name) == true
            ? [new NamespacedName(cm.Metadata.NamespaceProperty, name)]
            : []);
        using var stop = new CancellationTokenSource();
        var runs = Task.WhenAll(widgetInformer.RunAsync(stop.Token), configMapInformer.RunAsync(stop.Token), controller.RunAsync(stop.Token));
        await widgets.CreateAsync(WidgetCrd.New("w1", 1), CancellationToken.None);
        await Eventually.TrueAsync(() => reconciler.Calls("w1") >= 1, "first reconcile");

        await configMaps.CreateAsync(new V1ConfigMap
        {
            Metadata = new() { Name = "for-unknown", NamespaceProperty = "default" },
            Data = new Dictionary<string, string> { ["widget"] = "ghost" },
        }, CancellationToken.None);
        await Eventually.TrueAsync(() => reconciler.Calls("ghost") >= 1, "key mapped from a ConfigMap");
        var before = reconciler.Calls("w1");
        await Eventually.TrueAsync(() => reconciler.Calls("w1") >= before + 2, "periodic resync without any change");

        stop.Cancel();
        await runs.WaitAsync(Eventually.DefaultTimeout);
    }

    private sealed class CountingReconciler : IReconciler
    {
        private readonly ConcurrentDictionary<string, int> _calls = new();

        public int Calls(string name) => _calls.GetValueOrDefault(name);

        public Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
        {
            _calls.AddOrUpdate(key.Name, 1, (_, n) => n + 1);
            return Task.FromResult(ReconcileResult.Success());
        }
    }

    /// <summary>flaky: fails twice then succeeds; bad: terminal; waiting: requeue after 50 ms; throws: throws.</summary>
    private sealed class ScriptedReconciler : IReconciler
    {
        private readonly ConcurrentDictionary<string, int> _calls = new();
        private readonly ConcurrentDictionary<string, int> _inFlight = new();
        private int _maxConcurrentPerKey;

        public int MaxConcurrentPerKey => Volatile.Read(ref _maxConcurrentPerKey);

        public int Calls(string name) => _calls.GetValueOrDefault(name);

        public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
        {
            var inFlight = _inFlight.AddOrUpdate(key.Name, 1, (_, n) => n + 1);
            InterlockedMax(ref _maxConcurrentPerKey, inFlight);
            try
            {
                var call = _calls.AddOrUpdate(key.Name, 1, (_, n) => n + 1);
                await Task.Delay(5, cancellationToken);
                return key.Name switch
                {
                    "flaky" => call <= 2 ? ReconcileResult.Failure($"attempt {call}") : ReconcileResult.Success(),
                    "bad" => ReconcileResult.Terminal("spec is invalid"),
                    "waiting" => ReconcileResult.Success(TimeSpan.FromMilliseconds(50)),
                    "throws" => throw new InvalidOperationException("reconciler bug"),
                    _ => ReconcileResult.Terminal("unexpected key " + key),
                };
            }
            finally
            {
                _inFlight.AddOrUpdate(key.Name, 0, (_, n) => n - 1);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}

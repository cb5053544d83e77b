using System.Net;
using NvmeLm.Kube.Hosting;
using NvmeLm.Kube.Metrics;

namespace NvmeLm.Kube.Tests.Hosting;

public sealed class OperatorHttpServerTests
{
    [Fact]
    public async Task Endpoints_Should_ReportHealthReadinessAndMetrics_When_Served()
    {
        var health = new HealthChecks();
        var synced = false;
        health.AddReadiness("informer widgets", () => synced);
        var metrics = new KubeMetrics(Prometheus.Metrics.NewCustomRegistry());
        metrics.ReconcileTotal.WithLabels("widgets", "success").Inc();
        await using var server = await OperatorHttpServer.StartAsync(
            new OperatorHttpServerOptions { Port = 0, Address = IPAddress.Loopback }, health, metrics, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };

        var healthz = await http.GetAsync("/healthz");
        var notReady = await http.GetAsync("/readyz");
        synced = true;
        var ready = await http.GetAsync("/readyz");
        var text = await http.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("informer widgets", await notReady.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"widgets\",result=\"success\"} 1", text);
        Assert.Contains("# TYPE controller_runtime_reconcile_time_seconds histogram", text);
        Assert.Contains("# TYPE workqueue_depth gauge", text);
    }

    [Fact]
    public void NotReady_Should_ListThrowingCheck_When_CheckThrows()
    {
        var health = new HealthChecks();
        health.AddReadiness("ok", () => true);
        health.AddReadiness("broken", () => throw new InvalidOperationException("boom"));

        Assert.Equal(new[] { "broken" }, health.NotReady());
    }
}

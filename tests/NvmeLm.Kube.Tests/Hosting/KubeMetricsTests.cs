using NvmeLm.Kube.Metrics;

namespace NvmeLm.Kube.Tests.Hosting;

public sealed class KubeMetricsTests
{
    [Fact]
    public async Task CreatePhaseDurationHistogram_Should_ExportPhaseLabel_When_Observed()
    {
        var metrics = new KubeMetrics(Prometheus.Metrics.NewCustomRegistry());
        var phases = metrics.CreatePhaseDurationHistogram("nvmelm_migration_phase_duration_seconds", "Time per migration phase.", ["node"]);

        phases.WithLabels("Suspending", "node-a").Observe(0.2);
        var text = await metrics.ExportAsTextAsync(CancellationToken.None);

        Assert.Contains("nvmelm_migration_phase_duration_seconds_count{phase=\"Suspending\",node=\"node-a\"} 1", text);
    }

    [Fact]
    public void Constructor_Should_ShareFamilies_When_TwoInstancesUseOneRegistry()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var first = new KubeMetrics(registry);
        var second = new KubeMetrics(registry);

        first.WorkqueueAdds.WithLabels("q").Inc();
        second.WorkqueueAdds.WithLabels("q").Inc();

        Assert.Equal(2, first.WorkqueueAdds.WithLabels("q").Value);
    }
}

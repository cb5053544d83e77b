using Prometheus;

namespace NvmeLm.Kube.Metrics;

/// <summary>
/// The runtime's Prometheus metrics, named as controller-runtime names them so existing dashboards and
/// alerts work (kubebuilder metrics reference). One instance per registry; <see cref="Default"/> uses
/// prometheus-net's default registry, tests pass their own registry to read values in isolation.
/// </summary>
public sealed class KubeMetrics
{
    /// <summary>controller-runtime's reconcile-time buckets (seconds).</summary>
    private static readonly double[] s_reconcileBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    private static readonly Lazy<KubeMetrics> s_default = new(() => new KubeMetrics(Prometheus.Metrics.DefaultRegistry));

    private readonly IMetricFactory _factory;

    public KubeMetrics(CollectorRegistry registry)
    {
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);
        ReconcileTotal = _factory.CreateCounter(
            "controller_runtime_reconcile_total", "Total number of reconciliations per controller.", ["controller", "result"]);
        ReconcileErrors = _factory.CreateCounter(
            "controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller.", ["controller"]);
        TerminalReconcileErrors = _factory.CreateCounter(
            "controller_runtime_terminal_reconcile_errors_total",
            "Total number of terminal reconciliation errors per controller.", ["controller"]);
        ReconcileTime = _factory.CreateHistogram(
            "controller_runtime_reconcile_time_seconds", "Length of time per reconciliation per controller.",
            ["controller"], new HistogramConfiguration { Buckets = s_reconcileBuckets });
        ActiveWorkers = _factory.CreateGauge(
            "controller_runtime_active_workers", "Number of currently used workers per controller.", ["controller"]);
        WorkqueueDepth = _factory.CreateGauge("workqueue_depth", "Current depth of workqueue.", ["name"]);
        WorkqueueAdds = _factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue.", ["name"]);
        WorkqueueRetries = _factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue.", ["name"]);
        LeaderStatus = _factory.CreateGauge(
            "leader_election_master_status", "1 while this process holds the named lease, else 0.", ["name"]);
        InformerRelists = _factory.CreateCounter(
            "nvmelm_informer_relists_total", "Full lists by an informer (start, 410 Gone).", ["resource"]);
        InformerWatchRestarts = _factory.CreateCounter(
            "nvmelm_informer_watch_restarts_total", "Watch restarts by an informer, by reason.", ["resource", "reason"]);
    }

    public static KubeMetrics Default => s_default.Value;

    public CollectorRegistry Registry { get; }

    /// <summary><c>controller_runtime_reconcile_total{controller,result}</c>; result is success, requeue_after, error or terminal_error.</summary>
    public Counter ReconcileTotal { get; }

    public Counter ReconcileErrors { get; }

    public Counter TerminalReconcileErrors { get; }

    public Histogram ReconcileTime { get; }

    public Gauge ActiveWorkers { get; }

    public Gauge WorkqueueDepth { get; }

    public Counter WorkqueueAdds { get; }

    public Counter WorkqueueRetries { get; }

    public Gauge LeaderStatus { get; }

    public Counter InformerRelists { get; }

    public Counter InformerWatchRestarts { get; }

    /// <summary>
    /// A duration histogram for the phases of a longer process (for example the steps of a migration),
    /// labelled by <c>phase</c> plus any extra labels. Buckets default to 50 ms … ~7 min, exponential.
    /// </summary>
    public Histogram CreatePhaseDurationHistogram(string name, string help, string[]? extraLabels = null, double[]? buckets = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var labels = new[] { "phase" }.Concat(extraLabels ?? []).ToArray();
        return _factory.CreateHistogram(name, help, labels, new HistogramConfiguration
        {
            Buckets = buckets ?? Histogram.ExponentialBuckets(0.05, 2, 14),
        });
    }

    /// <summary>Writes the registry in the Prometheus text format (what <c>/metrics</c> serves).</summary>
    public async Task<string> ExportAsTextAsync(CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancellationToken).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}

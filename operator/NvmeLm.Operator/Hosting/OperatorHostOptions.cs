using System.Net;
using k8s;
using Microsoft.Extensions.Logging;
using NvmeLm.Kube.Metrics;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Hosting;

/// <summary>How an <see cref="OperatorHost"/> connects, elects a leader, serves health and metrics, and tunes its controllers.</summary>
public sealed record OperatorHostOptions
{
    /// <summary>
    /// A client to share (the caller keeps ownership, e.g. a test against the embedded API server); null builds
    /// one from <see cref="KubeconfigPath"/>, in-cluster config, or the default kubeconfig.
    /// </summary>
    public Kubernetes? Kubernetes { get; init; }

    public string? KubeconfigPath { get; init; }

    /// <summary>Namespace whose NvmeMigrations are reconciled; null: all namespaces. Pools and NvmeNodes are cluster-scoped.</summary>
    public string? Namespace { get; init; }

    /// <summary>Lead through a Lease so only one replica acts (on by default).</summary>
    public bool LeaderElection { get; init; } = true;

    public string LeaseName { get; init; } = "nvme-lm-operator";

    public string LeaseNamespace { get; init; } = "nvme-lm-system";

    /// <summary>This instance's holder identity (pod name in a cluster).</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Clear the lease on a clean stop so a standby takes over at once (false simulates a crash in tests).</summary>
    public bool ReleaseLeaseOnStop { get; init; } = true;

    /// <summary>Port of <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>; null: no HTTP server; 0: any free port.</summary>
    public int? HttpPort { get; init; } = 8080;

    public IPAddress HttpAddress { get; init; } = IPAddress.Any;

    /// <summary>Migrations reconciled at once (a single migration is never reconciled concurrently).</summary>
    public int MaxConcurrentMigrations { get; init; } = 8;

    /// <summary>Every cached object is looked at again this often (level-triggered safety net).</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Record core v1 Events (one per migration phase change).</summary>
    public bool RecordEvents { get; init; } = true;

    public MigrationOptions Migrations { get; init; } = new();

    public NodeLifecycleOptions Nodes { get; init; } = new();

    /// <summary>Metrics registry; null uses prometheus-net's default registry.</summary>
    public KubeMetrics? Metrics { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

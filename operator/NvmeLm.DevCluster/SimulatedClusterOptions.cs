using System.Globalization;
using Microsoft.Extensions.Logging;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.DevCluster;

/// <summary>What a <see cref="SimulatedCluster"/> runs: its nodes, its operator replicas, and how they are tuned.</summary>
public sealed record SimulatedClusterOptions
{
    /// <summary>Namespace of the operator's leader-election Lease (created at start).</summary>
    public const string OperatorNamespace = "nvme-lm-system";

    public IReadOnlyList<SimulatedNodeSpec> Nodes { get; init; } = NodeSpecs(2);

    /// <summary>Operator replicas started with the cluster (0: start them later with <see cref="SimulatedCluster.StartOperatorAsync"/>).</summary>
    public int Operators { get; init; } = 1;

    public bool LeaderElection { get; init; } = true;

    /// <summary>Lease timing; short so a standby takes over a killed leader within seconds.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromMilliseconds(500);

    public int MaxConcurrentMigrations { get; init; } = 8;

    public TimeSpan OperatorResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    public MigrationOptions Migrations { get; init; } = new();

    public AgentTuning Agents { get; init; } = new();

    /// <summary>Where the kubeconfig is written (null: a file in <see cref="SimulatedCluster.WorkDirectory"/>).</summary>
    public string? KubeConfigPath { get; init; }

    /// <summary>Journals and the kubeconfig live here; null: a fresh temporary directory, deleted on dispose.</summary>
    public string? WorkDirectory { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Enforce RBAC and admission policies with the chart's grants for the demo's identities (<see cref="DemoAccessControl"/>);
    /// off by default. The nodes' agents are authorized as given at start, nodes added later are not.
    /// </summary>
    public bool AccessControl { get; init; }

    /// <summary>
    /// Allocate pool VFs to pods through a <see cref="KubeVirt.SimulatedKubelet"/> whose PodResources every agent reads
    /// (the KubeVirt demo); off: no agent learns of any allocation.
    /// </summary>
    public bool SimulatedKubelet { get; init; }

    /// <summary>Nodes <c>worker-1</c> … <c>worker-N</c>, each labelled for the sample pool.</summary>
    public static IReadOnlyList<SimulatedNodeSpec> NodeSpecs(int count, int pfCount = 1) =>
        Enumerable.Range(1, count)
            .Select(i => new SimulatedNodeSpec { Name = string.Create(CultureInfo.InvariantCulture, $"worker-{i}"), PfCount = pfCount })
            .ToList();
}

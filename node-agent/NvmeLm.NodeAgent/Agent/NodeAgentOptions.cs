using k8s;
using Microsoft.Extensions.Logging;
using NvmeLm.Api;
using NvmeLm.Hardware.Host;
using NvmeLm.Kube.Metrics;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.NodeAgent.DevicePlugin.Allocations;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Everything one in-process node agent needs. The Kubernetes client and the host seams are passed in, so a
/// DaemonSet pod, the DevCluster demo and the integration tests run the same <see cref="NodeAgentHost"/>; several
/// agents can share one process (one per emulated node) as long as each has its own node name and journal directory.
/// </summary>
public sealed record NodeAgentOptions
{
    /// <summary>Default <see cref="Identity"/>: the journal owner of every PF the agent configures.</summary>
    public const string DefaultIdentity = "nvme-lm-agent";

    /// <summary>Largest controller state moved through a Secret (the cap the operator enforces too).</summary>
    public const int DefaultMaxStateBytes = NvmeLmApi.MaxStateBytes;

    /// <summary>The Kubernetes node name; also the name of this agent's NvmeNode.</summary>
    public required string NodeName { get; init; }

    /// <summary>The one shared client of the process (csharp #1539: do not create clients per agent call).</summary>
    public required Kubernetes Kubernetes { get; init; }

    /// <summary>The host the agent acts on: <c>HardwareFactory.CreateLinux()</c> or <c>EmulatedHost.CreateHardware()</c>.</summary>
    public required HostHardware Hardware { get; init; }

    /// <summary>Host journal directory (a hostPath in the DaemonSet) for the hardware journal and the operation journal.</summary>
    public required string JournalDirectory { get; init; }

    /// <summary>How often the agent re-reads the hardware, detects drift and re-applies the spec without any event.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Status is rewritten at least this often (heartbeat) and, when only the heartbeat changed, no more often.</summary>
    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Journal owner of the PF-level changes (secondaries locked for a migration are owned by its UID).</summary>
    public string Identity { get; init; } = DefaultIdentity;

    public int MaxStateBytes { get; init; } = DefaultMaxStateBytes;

    /// <summary>Terminal operation records whose id left the spec are kept this long, so a late repeat is still a no-op.</summary>
    public TimeSpan OperationRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Watch lifetime and stall watchdog of the NvmeNode informer (tests shorten them).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>
    /// The kubelet device plugin (sockets, PodResources) or null for none: the DaemonSet sets it, the in-process
    /// simulated cluster runs many agents without a kubelet and leaves it null.
    /// </summary>
    public DevicePluginSettings? DevicePlugin { get; init; }

    /// <summary>
    /// Where allocations come from when not from the kubelet of <see cref="DevicePlugin"/> (the simulated cluster's
    /// in-memory source); null: the kubelet's PodResources socket if <see cref="DevicePlugin"/> names one, else none.
    /// </summary>
    public IPodResourcesSource? PodResources { get; init; }

    /// <summary>How a pod's UID is found for its allocation (<c>allocatedTo.podUid</c>); null: read the pod from the API server.</summary>
    public IPodUidResolver? PodUids { get; init; }

    /// <summary>How often the allocations are listed (also shortly after each Allocate the plugin answers).</summary>
    public TimeSpan PodResourcesPollPeriod { get; init; } = TimeSpan.FromSeconds(10);

    public string AgentVersion { get; init; } = typeof(NodeAgentOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public ILoggerFactory? LoggerFactory { get; init; }

    public KubeMetrics? Metrics { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrEmpty(NodeName) || NodeName.Length > Api.ApiPatterns.Dns1123SubdomainMaxLength
            || !System.Text.RegularExpressions.Regex.IsMatch(NodeName, Api.ApiPatterns.NodeName))
        {
            throw new ArgumentException($"node name '{NodeName}' is not a Kubernetes node name (DNS-1123 subdomain)", nameof(NodeName));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(JournalDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(Identity);
        if (ResyncPeriod <= TimeSpan.Zero || HeartbeatPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ResyncPeriod), "resync and heartbeat periods must be positive");
        }

        if (PodResourcesPollPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PodResourcesPollPeriod), PodResourcesPollPeriod, "the PodResources poll period must be positive");
        }

        DevicePlugin?.Validate();
        if (MaxStateBytes < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStateBytes), MaxStateBytes, "the state cap must hold at least a controller state header");
        }
    }
}

using Microsoft.Extensions.Logging;
using NvmeLm.NodeAgent.DevicePlugin;

namespace NvmeLm.DevCluster;

/// <summary>How the simulated nodes' agents are tuned (tests shorten the periods so restarts and drops heal fast).</summary>
public sealed record AgentTuning
{
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(6);

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// A node's kubelet device plugin, by node name (tests point it at a kubelet simulator's sockets); null, or null
    /// for a node: that agent serves no device plugin (the simulated cluster runs no kubelet).
    /// </summary>
    public Func<string, DevicePluginSettings?>? DevicePlugin { get; init; }

    /// <summary>How often an agent with a device plugin lists the kubelet's PodResources.</summary>
    public TimeSpan PodResourcesPollPeriod { get; init; } = TimeSpan.FromSeconds(10);
}

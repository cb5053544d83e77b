using Microsoft.Extensions.Logging;

namespace NvmeLm.DevCluster;

/// <summary>How the simulated nodes' agents are tuned (tests shorten the periods so restarts and drops heal fast).</summary>
public sealed record AgentTuning
{
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(6);

    public ILoggerFactory? LoggerFactory { get; init; }
}

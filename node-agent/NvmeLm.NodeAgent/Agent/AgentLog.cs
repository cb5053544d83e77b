using Microsoft.Extensions.Logging;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>The agent's log messages (source-generated, allocation-free when the level is off).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "NvmeNode {Node} created (empty spec; the operator renders pools into it)")]
    public static partial void NodeCreated(ILogger logger, string node);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Applying PF {Pf} failed: {Error}")]
    public static partial void ApplyFailed(ILogger logger, string pf, string error);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "PF {Pf} SCID {Scid} handed back by {Owner}: {Outcome}")]
    public static partial void HandedBack(ILogger logger, string pf, int scid, string owner, string outcome);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Drift on NvmeNode {Node} corrected: {Writes}")]
    public static partial void DriftCorrected(ILogger logger, string node, string writes);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Operation {Id} ({Type}) on {Vf}: {State} {Message}")]
    public static partial void OperationFinished(ILogger logger, string id, string type, string vf, string state, string? message);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "Status of NvmeNode {Node} written (generation {Generation})")]
    public static partial void StatusWritten(ILogger logger, string node, long? generation);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Node agent for {Node} started (journal {Journal}, resync {Resync})")]
    public static partial void Started(ILogger logger, string node, string journal, TimeSpan resync);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Node agent for {Node} stopped")]
    public static partial void Stopped(ILogger logger, string node);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "The journal of PF {Pf} records a write whose outcome is unknown ({Step}: {Action}, since {Since}); the next sync re-reads the hardware and converges")]
    public static partial void PendingIntent(ILogger logger, string pf, string step, string action, DateTimeOffset since);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Reading the inventory of PF {Pf} failed: {Error}")]
    public static partial void InventoryFailed(ILogger logger, string pf, string error);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "Watching NvmeNode {Node}: a RestoreState waits for its SaveState")]
    public static partial void WatchingStateSource(ILogger logger, string node);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Operation {Id}: resume target {Vf} suspended ahead of its state, outside the device downtime")]
    public static partial void TargetSuspendedAhead(ILogger logger, string id, string vf);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Warning, Message = "Operation {Id}: suspending resume target {Vf} ahead of its state failed ({Error}); the RestoreState will suspend it")]
    public static partial void TargetSuspendAheadFailed(ILogger logger, string id, string vf, string error);

    [LoggerMessage(EventId = 5032, Level = LogLevel.Debug, Message = "Watching state Secret {Namespace}/{Name} ahead of its RestoreState failed ({Error}); the RestoreState reads it")]
    public static partial void StatePrefetchFailed(ILogger logger, string @namespace, string name, string error);
}

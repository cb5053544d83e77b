using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;

namespace NvmeLm.Operator.Logging;

/// <summary>The operator's log messages (source-generated, structured).</summary>
internal static partial class OperatorLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "NvmeMigration {Key}: {From} -> {To}: {Detail}")]
    public static partial void PhaseChanged(this ILogger logger, NamespacedName key, MigrationPhase from, MigrationPhase to, string detail);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "NvmeMigration {Key} failed in {Phase}: {Reason}: {Detail}")]
    public static partial void MigrationFailed(this ILogger logger, NamespacedName key, MigrationPhase phase, string reason, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "NvmeMigration {Key}: destination VF {VfAddress} was taken by another migration; picking again")]
    public static partial void DestinationTaken(this ILogger logger, NamespacedName key, string? vfAddress);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "NvmeNode {Node}: rendered pools onto spec ({PfCount} PFs)")]
    public static partial void NodeRendered(this ILogger logger, string node, int pfCount);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "NvmeNode {Node} is stale (heartbeat {Heartbeat}, Node object gone): deleting it")]
    public static partial void StaleNodeDeleted(this ILogger logger, string node, DateTime? heartbeat);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "NvmeVfPool {Pool}: {Selected} nodes selected, {Ready} ready, {Controllers} PFs, {Conflicts} PFs claimed by an older pool")]
    public static partial void PoolStatus(this ILogger logger, string pool, int selected, int ready, int controllers, int conflicts);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Operator started (identity {Identity}, leader election {LeaderElection}, namespace {Namespace})")]
    public static partial void OperatorStarted(this ILogger logger, string identity, bool leaderElection, string nameSpace);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "KubeVirt bridge {State}: {Why}")]
    public static partial void KubeVirtBridge(this ILogger logger, string state, string why);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Information, Message = "VirtualMachineInstanceMigration {Vmim} moves a VM holding a pool VF: created NvmeMigration {Migration} owned by it")]
    public static partial void VmimAdopted(this ILogger logger, string vmim, string migration);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "VirtualMachineInstanceMigration {Vmim} moves a VM holding a pool VF but is not adopted: {Why}")]
    public static partial void VmimNotAdopted(this ILogger logger, string vmim, string why);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Operator stopped")]
    public static partial void OperatorStopped(this ILogger logger);
}

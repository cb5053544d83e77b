using Microsoft.Extensions.Logging;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>The device plugin's log messages (source-generated).</summary>
internal static partial class DevicePluginLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Device plugin for {Resource} serving on {Socket}")]
    public static partial void Serving(ILogger logger, string resource, string socket);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Device plugin for {Resource} registered with the kubelet ({KubeletSocket})")]
    public static partial void Registered(ILogger logger, string resource, string kubeletSocket);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Registering {Resource} with the kubelet failed (retried): {Error}")]
    public static partial void RegisterFailed(ILogger logger, string resource, string error);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "The socket of {Resource} is gone (kubelet restart); serving again and re-registering")]
    public static partial void SocketGone(ILogger logger, string resource);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "No pool uses {Resource} any more; stopped advertising it")]
    public static partial void Withdrawn(ILogger logger, string resource);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Debug, Message = "ListAndWatch {Resource}: sent {Count} device(s), {Healthy} healthy")]
    public static partial void DevicesSent(ILogger logger, string resource, int count, int healthy);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Allocate {Resource}: {Devices}")]
    public static partial void Allocated(ILogger logger, string resource, string devices);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Warning, Message = "Allocate {Resource} refused: {Reason}")]
    public static partial void AllocationRefused(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Warning, Message = "Listing pod resources failed (retried): {Error}")]
    public static partial void PodResourcesFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod} not read from the API server (its UID stays unknown for now): {Error}")]
    public static partial void PodUidUnknown(ILogger logger, string @namespace, string pod, string error);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "VF allocations changed: {Count} VF(s) in use")]
    public static partial void AllocationsChanged(ILogger logger, int count);
}

using Microsoft.Extensions.Logging;

namespace NvmeLm.Kube.Logging;

/// <summary>The runtime's log messages (source-generated, exception last).</summary>
internal static partial class KubeLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Informer {Resource}: listed {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(this ILogger logger, string resource, int count, string? resourceVersion);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Informer {Resource}: resourceVersion expired (410 Gone), re-listing")]
    public static partial void WatchGone(this ILogger logger, string resource);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Informer {Resource}: watch silent for {StallTimeout}, restarting it")]
    public static partial void WatchStalled(this ILogger logger, string resource, TimeSpan stallTimeout);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Informer {Resource}: list/watch failed, retrying in {Delay}")]
    public static partial void ListWatchFailed(this ILogger logger, string resource, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Informer {Resource}: event handler threw")]
    public static partial void HandlerFailed(this ILogger logger, string resource, Exception exception);

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Controller {Controller}: reconciled {Key}: {Result}")]
    public static partial void Reconciled(this ILogger logger, string controller, NamespacedName key, string result);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Controller {Controller}: reconcile of {Key} failed, retry {Retry}: {Message}")]
    public static partial void ReconcileFailed(this ILogger logger, string controller, NamespacedName key, int retry, string message, Exception? exception);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Controller {Controller}: reconcile of {Key} failed terminally: {Message}")]
    public static partial void ReconcileTerminal(this ILogger logger, string controller, NamespacedName key, string message, Exception? exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Controller {Controller}: leadership term ended, in-flight reconciles cancelled")]
    public static partial void TermEnded(this ILogger logger, string controller);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Leader election {Lease}: {Identity} became leader")]
    public static partial void BecameLeader(this ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Leader election {Lease}: {Identity} lost leadership: {Reason}")]
    public static partial void LostLeadership(this ILogger logger, string lease, string identity, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Leader election {Lease}: {Identity} could not acquire or renew the lease")]
    public static partial void LeaseError(this ILogger logger, string lease, string identity, Exception exception);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Leader election {Lease}: {Identity} released the lease")]
    public static partial void Released(this ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Could not record event {Reason} on {Key}")]
    public static partial void EventFailed(this ILogger logger, string reason, NamespacedName key, Exception exception);
}

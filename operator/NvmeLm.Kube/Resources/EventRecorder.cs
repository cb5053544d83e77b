using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Logging;

namespace NvmeLm.Kube.Resources;

/// <summary>
/// Records core v1 Events about objects (what <c>kubectl describe</c> shows). A repeat of the same
/// type/reason/message on the same object bumps <c>count</c> and <c>lastTimestamp</c> of the earlier Event
/// instead of creating another (as client-go's correlator does). Recording never throws: events are
/// best-effort and must not fail a reconcile; failures are logged.
/// </summary>
public sealed class EventRecorder
{
    private const int MaxRemembered = 4096;

    private readonly ResourceClient<Corev1Event> _events;
    private readonly string _component;
    private readonly string _instance;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Uid, string Type, string Reason, string Message), RecordedEvent> _recent = new();

    public EventRecorder(Kubernetes kubernetes, string component, string? instance = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentException.ThrowIfNullOrEmpty(component);
        _events = new ResourceClient<Corev1Event>(kubernetes);
        _component = component;
        _instance = instance ?? Environment.MachineName;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Events of cluster-scoped objects go to this namespace (kube-apiserver uses "default").</summary>
    public string ClusterScopedEventNamespace { get; init; } = "default";

    /// <summary>Records an event; returns the stored Event, or null when the API call failed.</summary>
    public async Task<Corev1Event?> RecordAsync(
        IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(involved);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (type is not (EventType.Normal or EventType.Warning))
        {
            throw new ArgumentException($"Event type must be Normal or Warning, not '{type}'.", nameof(type));
        }

        var key = NamespacedName.Of(involved);
        var now = _time.GetUtcNow().UtcDateTime;
        var dedupKey = (involved.Metadata.Uid ?? key.ToString(), type, reason, message);
        try
        {
            if (_recent.TryGetValue(dedupKey, out var recorded))
            {
                var bumped = await TryBumpAsync(recorded, now, cancellationToken).ConfigureAwait(false);
                if (bumped is not null)
                {
                    _recent[dedupKey] = recorded with { Count = bumped.Count ?? recorded.Count + 1 };
                    return bumped;
                }
            }

            var created = await _events.CreateAsync(NewEvent(involved, key, type, reason, message, now), cancellationToken)
                .ConfigureAwait(false);
            if (_recent.Count >= MaxRemembered)
            {
                // Bound memory in a long-running process; losing the history only costs a fresh Event.
                _recent.Clear();
            }

            _recent[dedupKey] = new RecordedEvent(NamespacedName.Of(created), created.Count ?? 1);
            return created;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.EventFailed(reason, key, e);
            return null;
        }
    }

    private async Task<Corev1Event?> TryBumpAsync(RecordedEvent recorded, DateTime now, CancellationToken cancellationToken)
    {
        var patch = $$"""{"count":{{(recorded.Count + 1).ToString(CultureInfo.InvariantCulture)}},"lastTimestamp":"{{now:yyyy-MM-ddTHH:mm:ssZ}}"}""";
        try
        {
            return await _events.PatchAsync(recorded.Event, patch, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The Event expired (TTL) or was deleted; start a new one.
            return null;
        }
    }

    private Corev1Event NewEvent(
        IKubernetesObject<V1ObjectMeta> involved, NamespacedName key, string type, string reason, string message, DateTime now)
    {
        var ns = key.Namespace ?? ClusterScopedEventNamespace;
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                // client-go names events "<object>.<unix nanos in hex>"; unique enough and sorts by time.
                Name = $"{key.Name}.{(now.Ticks - DateTime.UnixEpoch.Ticks) * 100:x}",
                NamespaceProperty = ns,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = involved.ApiVersion,
                Kind = involved.Kind,
                Name = key.Name,
                NamespaceProperty = key.Namespace,
                Uid = involved.Metadata.Uid,
                ResourceVersion = involved.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = _component, Host = _instance },
            ReportingComponent = _component,
            ReportingInstance = _instance,
        };
    }

    private sealed record RecordedEvent(NamespacedName Event, int Count);
}

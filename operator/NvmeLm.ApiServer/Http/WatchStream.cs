using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Selectors;
using NvmeLm.ApiServer.Storage;
using NvmeLm.ApiServer.Tables;

namespace NvmeLm.ApiServer.Http;

/// <summary>
/// Serves one watch as kube-apiserver does: HTTP 200 with newline-delimited
/// <c>{"type":…,"object":…}</c> events, ADDED/MODIFIED/DELETED filtered by namespace and selectors
/// (an object entering or leaving the selector is ADDED or DELETED), periodic BOOKMARKs when asked, an
/// ERROR event with a 410 Status for a resourceVersion older than the history window, and an end at
/// <c>timeoutSeconds</c>.
/// </summary>
public sealed class WatchStream
{
    private const string InitialEventsEndAnnotation = "k8s.io/initial-events-end";

    // Each event's framing, encoded once per type rather than for every event.
    private static readonly byte[] s_eventSuffix = "}\n"u8.ToArray();
    private static readonly Dictionary<string, byte[]> s_eventPrefixes = new[] { "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR" }
        .ToDictionary(type => type, type => Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"), StringComparer.Ordinal);

    private readonly ObjectStore _store;
    private readonly TimeSpan _bookmarkInterval;

    public WatchStream(ObjectStore store, TimeSpan bookmarkInterval)
    {
        _store = store;
        _bookmarkInterval = bookmarkInterval;
    }

    /// <param name="metadataOnly">Each event's object (bookmarks too) as a <see cref="PartialObjectMetadata"/>.</param>
    public async Task ServeAsync(HttpContext context, ResourceType type, string? namespaceName, string? name, QueryOptions query, bool asTable, bool forceGone,
        bool metadataOnly = false)
    {
        var labels = LabelSelector.Parse(query.LabelSelector);
        var fields = FieldSelector.Parse(query.FieldSelector, type.SelectableFields);
        long? since = query.ResourceVersion is null or "0" || query.SendInitialEvents ? null : ParseResourceVersion(query.ResourceVersion);

        context.Response.StatusCode = 200;
        context.Response.ContentType = JsonResponse.ContentType;
        var body = context.Response.Body;
        var aborted = context.RequestAborted;

        WatchSubscription subscription;
        try
        {
            if (forceGone)
            {
                throw ApiException.Gone($"too old resource version: {query.ResourceVersion ?? "0"} ({_store.CurrentResourceVersion})");
            }
            subscription = _store.Watch(type.Storage, since);
        }
        catch (ApiException e)
        {
            await WriteEventAsync(body, "ERROR", e.ToStatus(), aborted);
            return;
        }

        using var _ = subscription;
        using var timeout = query.TimeoutSeconds is int seconds and > 0
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds))
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
        var cancellationToken = linked.Token;
        await context.Response.StartAsync(cancellationToken);
        await body.FlushAsync(cancellationToken);

        using var bookmarks = query.AllowWatchBookmarks
            ? new Timer(_ => subscription.RequestBookmark(), null, _bookmarkInterval, _bookmarkInterval)
            : null;
        bool initialEventsPending = query.SendInitialEvents;
        long initialEventsEnd = initialEventsPending ? _store.CurrentResourceVersion : 0;
        if (initialEventsPending)
        {
            subscription.RequestBookmark();
        }
        bool columnsSent = false;
        try
        {
            var reader = subscription.Events;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryRead(out var storeEvent))
                {
                    if (storeEvent.Type == StoreEventType.Bookmark)
                    {
                        var bookmark = Bookmark(type, storeEvent.ResourceVersion);
                        if (initialEventsPending && storeEvent.ResourceVersion >= initialEventsEnd)
                        {
                            initialEventsPending = false;
                            bookmark["metadata"]!["annotations"] = new JsonObject { [InitialEventsEndAnnotation] = "true" };
                        }
                        else if (!query.AllowWatchBookmarks)
                        {
                            continue;
                        }
                        await WriteEventAsync(body, "BOOKMARK", metadataOnly ? PartialObjectMetadata.Of(bookmark) : bookmark, cancellationToken);
                        continue;
                    }
                    var (eventType, obj) = Filter(type, storeEvent, namespaceName, name, labels, fields);
                    if (eventType is null)
                    {
                        continue;
                    }
                    JsonNode payload = asTable
                        ? TableBuilder.Build(type, [obj!], storeEvent.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, query.IncludeObject, includeColumns: !columnsSent)
                        : metadataOnly ? PartialObjectMetadata.Of(obj!) : obj!;
                    columnsSent = true;
                    await WriteEventAsync(body, eventType, payload, cancellationToken);
                }
                await body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or timeoutSeconds passed: the stream simply ends.
        }
    }

    private static (string? Type, JsonObject? Object) Filter(ResourceType type, StoreEvent storeEvent, string? namespaceName, string? name, LabelSelector labels, FieldSelector fields)
    {
        if (namespaceName is not null && storeEvent.Name.Namespace != namespaceName)
        {
            return (null, null);
        }
        if (name is not null && storeEvent.Name.Name != name)
        {
            return (null, null);
        }
        // A name never changes, so an object whose name the selector rules out matched neither before nor now.
        if (fields.RulesOutName(storeEvent.Name.Name))
        {
            return (null, null);
        }
        var current = type.Converter.FromStorage(storeEvent.Object!, type);
        bool nowMatches = labels.Matches(current) && fields.Matches(current);
        switch (storeEvent.Type)
        {
            case StoreEventType.Added:
                return nowMatches ? ("ADDED", current) : (null, null);
            case StoreEventType.Deleted:
                return nowMatches ? ("DELETED", current) : (null, null);
            default:
                var old = type.Converter.FromStorage(storeEvent.OldObject!, type);
                bool matchedBefore = labels.Matches(old) && fields.Matches(old);
                return (matchedBefore, nowMatches) switch
                {
                    (true, true) => ("MODIFIED", current),
                    (false, true) => ("ADDED", current),
                    (true, false) => ("DELETED", current),
                    _ => (null, null),
                };
        }
    }

    private static JsonObject Bookmark(ResourceType type, long resourceVersion) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture),
            ["creationTimestamp"] = null,
        },
    };

    private static long ParseResourceVersion(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long rv)
            ? rv
            : throw ApiException.BadRequest($"invalid resource version \"{value}\"");

    private static async Task WriteEventAsync(Stream body, string type, JsonNode obj, CancellationToken cancellationToken)
    {
        await body.WriteAsync(EventPrefix(type), cancellationToken);
        await body.WriteAsync(JsonResponse.Serialize(obj), cancellationToken);
        await body.WriteAsync(s_eventSuffix, cancellationToken);
    }

    /// <summary><c>{"type":"…","object":</c> for an event of <paramref name="type"/>.</summary>
    private static byte[] EventPrefix(string type) => s_eventPrefixes[type];
}

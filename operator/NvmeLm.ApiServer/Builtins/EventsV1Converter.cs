using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// events.k8s.io/v1 Events are stored as core/v1 Events (one collection, as in kube-apiserver), so
/// <c>kubectl get events</c> shows what a controller recorded through either API. The field renames
/// follow k8s.io/kubernetes pkg/apis/events/v1 conversion.
/// </summary>
public sealed class EventsV1Converter : IObjectConverter
{
    private static readonly (string EventsV1, string Core)[] s_renames =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    public static EventsV1Converter Instance { get; } = new();

    public JsonObject ToStorage(JsonObject served, ResourceType type)
    {
        foreach (var (eventsV1, core) in s_renames)
        {
            Move(served, eventsV1, core);
        }
        served["apiVersion"] = "v1";
        served["kind"] = "Event";
        return served;
    }

    public JsonObject FromStorage(JsonObject stored, ResourceType type)
    {
        var copy = (JsonObject)stored.DeepClone();
        foreach (var (eventsV1, core) in s_renames)
        {
            Move(copy, core, eventsV1);
        }
        copy["apiVersion"] = type.ApiVersion;
        copy["kind"] = "Event";
        return copy;
    }

    private static void Move(JsonObject obj, string from, string to)
    {
        if (obj.Remove(from, out var value))
        {
            obj[to] = value;
        }
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace NvmeLm.ApiServer.Http;

/// <summary>The query parameters of a resource request that this server honours.</summary>
public sealed record QueryOptions(
    bool Watch,
    string? ResourceVersion,
    int? TimeoutSeconds,
    bool AllowWatchBookmarks,
    bool SendInitialEvents,
    string? LabelSelector,
    string? FieldSelector,
    int? Limit,
    string? Continue,
    bool DryRun,
    string? PropagationPolicy,
    string? IncludeObject,
    string? FieldValidation,
    string? FieldManager,
    bool Force)
{
    public static QueryOptions From(IQueryCollection query) => new(
        Watch: IsTrue(query["watch"]),
        ResourceVersion: NullIfEmpty(query["resourceVersion"]),
        TimeoutSeconds: Int(query["timeoutSeconds"]),
        AllowWatchBookmarks: IsTrue(query["allowWatchBookmarks"]),
        SendInitialEvents: IsTrue(query["sendInitialEvents"]),
        LabelSelector: NullIfEmpty(query["labelSelector"]),
        FieldSelector: NullIfEmpty(query["fieldSelector"]),
        Limit: Int(query["limit"]),
        Continue: NullIfEmpty(query["continue"]),
        DryRun: query["dryRun"].Contains("All"),
        PropagationPolicy: NullIfEmpty(query["propagationPolicy"]),
        IncludeObject: NullIfEmpty(query["includeObject"]),
        FieldValidation: NullIfEmpty(query["fieldValidation"]),
        FieldManager: NullIfEmpty(query["fieldManager"]),
        Force: IsTrue(query["force"]));

    /// <summary>Like <see cref="From"/>, but a malformed value becomes a default instead of an error (for describing a request).</summary>
    public static QueryOptions FromSafe(IQueryCollection query)
    {
        try
        {
            return From(query);
        }
        catch (ApiException)
        {
            return new QueryOptions(IsTrue(query["watch"]), null, null, false, false, null, null, null, null, false, null, null, null, null, false);
        }
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int? Int(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw ApiException.BadRequest($"invalid integer query parameter value \"{value}\"");
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.ManagedFields;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Selectors;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Api;

/// <summary>
/// The generic REST semantics of kube-apiserver over the <see cref="ObjectStore"/>: system metadata,
/// optimistic concurrency, the status subresource, generation, finalizers, validation and selectors.
/// Split by verb into partial files. Works on the served shape; the store holds the stored shape.
/// </summary>
public sealed partial class ResourceService
{
    /// <summary>Compare-and-swap retries before a write gives up with 409 (only under extreme contention).</summary>
    private const int MaxWriteAttempts = 64;

    private static readonly StorageKey s_namespaces = new("", "namespaces");

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly FieldManager _fields;

    public ResourceService(ObjectStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        _fields = new FieldManager(Now);
    }

    public ObjectStore Store => _store;

    public JsonObject Get(ResourceType type, string namespaceName, string name)
    {
        var stored = _store.Get(type.Storage, new ObjectName(namespaceName, name)) ?? throw ApiException.NotFound(type.QualifiedResource, name);
        return type.Converter.FromStorage(stored, type);
    }

    /// <summary>Lists objects (all namespaces when <paramref name="namespaceName"/> is null) with selectors and paging.</summary>
    public ListResult List(ResourceType type, string? namespaceName, LabelSelector labels, FieldSelector fields, int? limit, string? continueToken)
    {
        var (items, rv) = _store.List(type.Storage, namespaceName);
        int start = 0;
        if (!string.IsNullOrEmpty(continueToken))
        {
            var after = DecodeContinue(continueToken);
            start = items.FindIndex(o => NameOf(o).CompareTo(after) > 0);
            if (start < 0)
            {
                start = items.Count;
            }
        }
        var page = new List<JsonObject>();
        int index = start;
        for (; index < items.Count; index++)
        {
            var served = type.Converter.FromStorage(items[index], type);
            if (!labels.Matches(served) || !fields.Matches(served))
            {
                continue;
            }
            if (limit is int max && max > 0 && page.Count == max)
            {
                break;
            }
            page.Add(served);
        }
        string? next = null;
        long? remaining = null;
        if (index < items.Count)
        {
            next = EncodeContinue(NameOf(page[^1]));
            remaining = items.Count - index;
        }
        return new ListResult(page, rv.ToString(CultureInfo.InvariantCulture), next, remaining);
    }

    /// <summary>Builds the <c>…List</c> object for a list result.</summary>
    public static JsonObject ToListObject(ResourceType type, ListResult result)
    {
        var metadata = new JsonObject { ["resourceVersion"] = result.ResourceVersion };
        if (result.Continue is not null)
        {
            metadata["continue"] = result.Continue;
            metadata["remainingItemCount"] = result.RemainingItemCount;
        }
        return new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray(result.Items.Select(i => i.DeepClone()).ToArray()),
        };
    }

    private string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static ObjectName NameOf(JsonObject obj) =>
        new(obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]?["name"]?.GetValue<string>() ?? "");

    private static JsonObject Metadata(JsonObject obj) =>
        obj["metadata"] as JsonObject ?? throw ApiException.BadRequest("object has no metadata");

    private static string? MetaString(JsonObject obj, string field) => obj["metadata"]?[field]?.GetValue<string>();

    private static List<string> Finalizers(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray)?.Select(f => f?.GetValue<string>() ?? "").ToList() ?? [];

    private static string EncodeContinue(ObjectName last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.Namespace}/{last.Name}"));

    private static ObjectName DecodeContinue(string token)
    {
        try
        {
            string text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            int slash = text.IndexOf('/', StringComparison.Ordinal);
            return new ObjectName(text[..slash], text[(slash + 1)..]);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {token}");
        }
    }

    /// <summary>Checks <c>apiVersion</c>/<c>kind</c> in a request body against the URL's type, then sets them.</summary>
    private static void CheckTypeMeta(ResourceType type, JsonObject body)
    {
        string? apiVersion = body["apiVersion"]?.GetValue<string>();
        string? kind = body["kind"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }
        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
    }

    /// <summary>
    /// Validates a custom resource (pruning and defaulting it) and applies the fieldValidation directive
    /// to what pruning removed: Strict refuses with 400 like kube-apiserver's strict decoding, Warn
    /// returns warnings, Ignore (the default here) drops the fields silently.
    /// </summary>
    private static IReadOnlyList<string> ValidateCustom(ResourceType type, JsonObject obj, JsonObject? old, List<InvalidCause> causes, string? fieldValidation)
    {
        if (type.Validator is null)
        {
            return [];
        }
        var before = fieldValidation is "Strict" or "Warn" ? obj.DeepClone() : null;
        causes.AddRange(old is null ? type.Validator.ValidateCreate(obj) : type.Validator.ValidateUpdate(obj, old));
        if (before is null)
        {
            return [];
        }
        var unknown = UnknownFields.Removed(before, obj).Select(f => $"unknown field \"{f}\"").ToList();
        if (unknown.Count > 0 && fieldValidation == "Strict")
        {
            throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknown));
        }
        return unknown;
    }

    private static void ThrowIfInvalid(ResourceType type, string name, List<InvalidCause> causes)
    {
        if (causes.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, type.Group, name, causes);
        }
    }

    /// <summary>Everything but metadata (and status when it is a subresource): what generation tracks.</summary>
    private static bool SpecChanged(ResourceType type, JsonObject next, JsonObject current)
    {
        foreach (var key in next.Select(p => p.Key).Union(current.Select(p => p.Key)))
        {
            if (key is "metadata" or "apiVersion" or "kind" || (key == "status" && type.HasStatusSubresource))
            {
                continue;
            }
            if (!JsonNode.DeepEquals(next[key], current[key]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Reads generation whether it came from a client (parsed JSON) or from this server (a CLR number).</summary>
    private static long Generation(JsonObject obj) =>
        obj["metadata"]?["generation"] is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long generation)
            ? generation
            : 0;
}

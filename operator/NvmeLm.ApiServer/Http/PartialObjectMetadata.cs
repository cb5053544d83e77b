using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Api;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Http;

/// <summary>
/// Metadata-only responses, what client-go's metadata client and informers ask for: an Accept of
/// <c>application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1</c> on get and watch, <c>…as=PartialObjectMetadataList…</c>
/// on list, answers each object reduced to <c>apiVersion: meta.k8s.io/v1</c>, <c>kind: PartialObjectMetadata</c> and its
/// <c>metadata</c>, and a list as a <c>PartialObjectMetadataList</c> with the list's resourceVersion and continue. The
/// other form for a verb is 406 NotAcceptable. As kube-apiserver's <c>asPartialObjectMetadata</c>/<c>-List</c>
/// (apiserver/pkg/endpoints/handlers/response.go); the first <c>application/json</c> media range of the Accept header decides.
/// </summary>
public static class PartialObjectMetadata
{
    public const string ApiVersion = "meta.k8s.io/v1";
    public const string Kind = "PartialObjectMetadata";
    public const string ListKind = "PartialObjectMetadataList";

    /// <summary>What the Accept header asks for: the whole object, or its metadata as one object or as a list.</summary>
    public enum Form
    {
        Whole,
        Object,
        List,
    }

    public static Form Requested(string accept)
    {
        foreach (string range in accept.Split(','))
        {
            string[] parts = range.Split(';', StringSplitOptions.TrimEntries);
            if (!string.Equals(parts[0], "application/json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            bool metaGroup = parameters.GetValueOrDefault("g") == "meta.k8s.io" && parameters.GetValueOrDefault("v") is "v1" or "v1beta1";
            return parameters.GetValueOrDefault("as") switch
            {
                Kind when metaGroup => Form.Object,
                ListKind when metaGroup => Form.List,
                _ => Form.Whole,
            };
        }

        return Form.Whole;
    }

    /// <summary>406 for a form that does not fit the verb, as kube answers a list asked for as one object and back.</summary>
    public static void EnsureFits(Form form, bool isList)
    {
        if ((form == Form.Object && isList) || (form == Form.List && !isList))
        {
            throw new ApiException(406, "NotAcceptable", isList
                ? "you requested PartialObjectMetadata, but the requested object is a list"
                : "you requested PartialObjectMetadataList, but the requested object is not a list");
        }
    }

    public static JsonObject Of(JsonObject obj) => new()
    {
        ["kind"] = Kind,
        ["apiVersion"] = ApiVersion,
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    /// <summary>The list's own metadata (resourceVersion, continue) as for a whole list; its items as <see cref="Of"/>.</summary>
    public static JsonObject ListOf(ResourceType type, ListResult result)
    {
        var list = ResourceService.ToListObject(type, result with { Items = [] });
        list["kind"] = ListKind;
        list["apiVersion"] = ApiVersion;
        list["items"] = new JsonArray(result.Items.Select(i => (JsonNode)Of(i)).ToArray());
        return list;
    }
}

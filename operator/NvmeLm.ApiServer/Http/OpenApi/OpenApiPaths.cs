using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Http.OpenApi;

/// <summary>The REST paths and operations of a served type, shared by the v2 and v3 documents.</summary>
public static class OpenApiPaths
{
    /// <summary>(path, [(HTTP method, kube action)]) for the collection, the object and its status.</summary>
    public static IEnumerable<(string Path, IReadOnlyList<(string Method, string Action)> Operations)> For(ResourceType type)
    {
        string prefix = type.Group.Length == 0 ? "/api/v1" : $"/apis/{type.Group}/{type.Version}";
        string collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
        yield return (collection, [("get", "list"), ("post", "create")]);
        yield return (collection + "/{name}", [("get", "get"), ("put", "update"), ("patch", "patch"), ("delete", "delete")]);
        if (type.HasStatusSubresource)
        {
            yield return (collection + "/{name}/status", [("get", "get"), ("put", "update"), ("patch", "patch")]);
        }
    }

    /// <summary>The query parameters of write operations that clients look for (kubectl decides on server-side field validation by <c>fieldValidation</c>).</summary>
    public static IEnumerable<string> WriteParameters(string action) =>
        action is "create" or "update" or "patch" ? ["dryRun", "fieldManager", "fieldValidation"] : [];

    public static JsonObject Gvk(ResourceType type) => new()
    {
        ["group"] = type.Group,
        ["kind"] = type.Kind,
        ["version"] = type.Version,
    };
}

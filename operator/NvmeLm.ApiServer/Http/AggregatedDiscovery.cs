using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Http;

/// <summary>
/// Aggregated discovery (<c>apidiscovery.k8s.io/v2 APIGroupDiscoveryList</c>): every group, version and
/// resource in one document for <c>/api</c> and one for <c>/apis</c>, which kubectl 1.35 asks for first
/// (so a kubectl call costs two discovery requests instead of one per group/version).
/// </summary>
public sealed class AggregatedDiscovery
{
    public const string ContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private readonly ResourceRegistry _registry;
    private readonly Discovery _discovery;

    public AggregatedDiscovery(ResourceRegistry registry, Discovery discovery)
    {
        _registry = registry;
        _discovery = discovery;
    }

    /// <summary>Whether the Accept header asks for apidiscovery.k8s.io/v2 (kubectl lists it before plain JSON).</summary>
    public static bool IsRequested(string accept) =>
        accept.Contains("g=apidiscovery.k8s.io", StringComparison.Ordinal)
        && accept.Contains("v=v2;", StringComparison.Ordinal)
        && accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal);

    /// <summary>The list for <c>/api</c> (<paramref name="core"/>) or <c>/apis</c>.</summary>
    public JsonObject List(bool core)
    {
        var groups = core ? [""] : _discovery.GroupNames();
        var items = new JsonArray();
        foreach (string group in groups)
        {
            var versions = new JsonArray();
            foreach (string version in _discovery.VersionsOf(group))
            {
                var resources = _registry.All.Where(t => t.Group == group && t.Version == version)
                    .OrderBy(t => t.Plural, StringComparer.Ordinal).Select(Resource).ToArray();
                versions.Add(new JsonObject { ["version"] = version, ["resources"] = new JsonArray(resources), ["freshness"] = "Current" });
            }
            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (group.Length > 0)
            {
                metadata["name"] = group;
            }
            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versions });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonNode Resource(ResourceType type)
    {
        var resource = new JsonObject
        {
            ["resource"] = type.Plural,
            ["responseKind"] = Kind(type),
            ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = type.Singular,
            ["verbs"] = new JsonArray(type.Verbs.Select(v => (JsonNode?)v).ToArray()),
        };
        if (type.ShortNames.Count > 0)
        {
            resource["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode?)s).ToArray());
        }
        if (type.Categories.Count > 0)
        {
            resource["categories"] = new JsonArray(type.Categories.Select(s => (JsonNode?)s).ToArray());
        }
        if (type.HasStatusSubresource)
        {
            resource["subresources"] = new JsonArray(new JsonObject
            {
                ["subresource"] = "status",
                ["responseKind"] = Kind(type),
                ["verbs"] = new JsonArray("get", "patch", "update"),
            });
        }
        return resource;
    }

    private static JsonObject Kind(ResourceType type) => new()
    {
        ["group"] = type.Group,
        ["version"] = type.Version,
        ["kind"] = type.Kind,
    };
}

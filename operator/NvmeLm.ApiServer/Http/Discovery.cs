using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Http;

/// <summary>
/// Legacy (unaggregated) discovery documents: <c>/api</c>, <c>/apis</c>, <c>/apis/{group}</c> and the
/// resource lists (KubernetesClient and older clients use these; see <see cref="AggregatedDiscovery"/>).
/// </summary>
public sealed class Discovery
{
    public const string KubernetesVersion = "v1.35.0";

    private readonly ResourceRegistry _registry;

    public Discovery(ResourceRegistry registry) => _registry = registry;

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "35",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "35",
        ["gitVersion"] = KubernetesVersion + "+nvmelm-devcluster",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-12-01T00:00:00Z",
        ["goVersion"] = "go1.25.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(GroupNames().Select(g => (JsonNode?)Group(g)).ToArray()),
    };

    /// <summary>The APIGroup document, or null when nothing in that group is served.</summary>
    public JsonObject? Group(string group)
    {
        var versions = VersionsOf(group);
        if (versions.Count == 0)
        {
            return null;
        }
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)GroupVersion(group, v)).ToArray()),
            ["preferredVersion"] = GroupVersion(group, versions[0]),
        };
    }

    /// <summary>The APIResourceList of one group/version, or null when it is not served.</summary>
    public JsonObject? Resources(string group, string version)
    {
        var types = _registry.All.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in types)
        {
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(type.Verbs.Select(v => (JsonNode?)v).ToArray()),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode?)s).ToArray());
            }
            if (type.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(type.Categories.Select(s => (JsonNode?)s).ToArray());
            }
            resources.Add(entry);
            if (type.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>Served groups: built-in groups first, then the others by name (core is served under /api).</summary>
    public IReadOnlyList<string> GroupNames()
    {
        var all = _registry.All.Select(t => t.Group).Where(g => g.Length > 0).Distinct().ToList();
        return [.. all.Where(IsBuiltinGroup).Order(StringComparer.Ordinal), .. all.Where(g => !IsBuiltinGroup(g)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Versions of a group, preferred first (Kubernetes version priority: GA, then beta, then alpha, newest first).</summary>
    public IReadOnlyList<string> VersionsOf(string group) =>
        _registry.All.Where(t => t.Group == group).Select(t => t.Version).Distinct().OrderBy(v => v, VersionPriority.Comparer).ToList();

    private static bool IsBuiltinGroup(string group) => group.EndsWith(".k8s.io", StringComparison.Ordinal);

    private static JsonObject GroupVersion(string group, string version) => new()
    {
        ["groupVersion"] = $"{group}/{version}",
        ["version"] = version,
    };
}

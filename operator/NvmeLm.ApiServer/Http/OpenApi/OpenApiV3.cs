using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Http.OpenApi;

/// <summary>
/// OpenAPI v3 documents (<c>/openapi/v3</c> index and one document per group/version), which kubectl and
/// helm (3.17 and 4.1 alike, measured) read for <c>explain</c> (schemas found by
/// <c>x-kubernetes-group-version-kind</c>) and to learn that the server validates fields itself (the
/// <c>fieldValidation</c> parameter on PATCH operations). Built-in kinds carry their model schemas, CRDs
/// their openAPIV3Schema (<see cref="OpenApiDefinitions"/>). Documents are cached until the served
/// resources change.
/// </summary>
public sealed class OpenApiV3
{
    private readonly ResourceRegistry _registry;
    private readonly ConcurrentDictionary<string, (JsonObject Document, string Hash)> _documents = new(StringComparer.Ordinal);

    public OpenApiV3(ResourceRegistry registry)
    {
        _registry = registry;
        _registry.Changed += _documents.Clear;
    }

    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var gv in _registry.All.Select(t => (t.Group, t.Version)).Distinct())
        {
            string key = PathKey(gv.Group, gv.Version);
            if (Cached(key) is { } cached)
            {
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={cached.Hash}" };
            }
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for <c>api/v1</c> or <c>apis/{group}/{version}</c>; null when not served.</summary>
    public JsonObject? Document(string pathKey) => Cached(pathKey)?.Document;

    public static string PathKey(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private (JsonObject Document, string Hash)? Cached(string pathKey)
    {
        if (_documents.TryGetValue(pathKey, out var cached))
        {
            return cached;
        }
        var types = _registry.All.Where(t => PathKey(t.Group, t.Version) == pathKey).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var document = Build(types);
        // The hash changes whenever the group/version's schemas change, so clients' caches refresh.
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(JsonResponse.Serialize(document)), 0, 16);
        return _documents[pathKey] = (document, hash);
    }

    private static JsonObject Build(IReadOnlyList<ResourceType> types)
    {
        var schemas = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var paths = new JsonObject();
        foreach (var type in types)
        {
            foreach (var (name, definition) in OpenApiDefinitions.For(type))
            {
                schemas[name] = definition;
            }
            var reference = new JsonObject { ["$ref"] = OpenApiDefinitions.ComponentsPrefix + OpenApiDefinitions.RootName(type) };
            foreach (var (path, item) in OpenApiPaths.For(type))
            {
                paths[path] = new JsonObject(item.Select(o => KeyValuePair.Create(o.Method, (JsonNode?)Operation(type, o.Action, reference))));
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.KubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))) },
        };
    }

    private static JsonObject Operation(ResourceType type, string action, JsonObject reference)
    {
        var parameters = new JsonArray();
        foreach (string name in OpenApiPaths.WriteParameters(action))
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
        }
        var operation = new JsonObject
        {
            ["operationId"] = action + type.Kind,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = reference.DeepClone() } },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = OpenApiPaths.Gvk(type),
        };
        if (action is "create" or "update")
        {
            operation["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = reference.DeepClone() } },
                ["required"] = true,
            };
        }
        return operation;
    }
}

using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Http;

/// <summary>
/// OpenAPI v3 documents (<c>/openapi/v3</c> index and one document per group/version), which kubectl uses
/// for <c>explain</c> (schemas found by <c>x-kubernetes-group-version-kind</c>) and to learn that the
/// server validates fields itself (the <c>fieldValidation</c> parameter on PATCH operations).
/// CRD schemas are published as written; built-ins get a minimal object schema.
/// </summary>
public sealed class OpenApiV3
{
    private const string ObjectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private readonly ResourceRegistry _registry;

    public OpenApiV3(ResourceRegistry registry) => _registry = registry;

    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var gv in _registry.All.Select(t => (t.Group, t.Version)).Distinct())
        {
            string key = PathKey(gv.Group, gv.Version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(gv.Group, gv.Version)}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for <c>api/v1</c> or <c>apis/{group}/{version}</c>; null when not served.</summary>
    public JsonObject? Document(string pathKey)
    {
        var types = _registry.All.Where(t => PathKey(t.Group, t.Version) == pathKey).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var schemas = new JsonObject { [ObjectMetaName] = ObjectMetaSchema.Create() };
        var paths = new JsonObject();
        foreach (var type in types)
        {
            string schemaName = SchemaName(type);
            schemas[schemaName] = Schema(type);
            var reference = new JsonObject { ["$ref"] = "#/components/schemas/" + schemaName };
            string prefix = type.Group.Length == 0 ? "/api/v1" : $"/apis/{type.Group}/{type.Version}";
            string collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation(type, "list", reference),
                ["post"] = Operation(type, "create", reference),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(type, "get", reference),
                ["put"] = Operation(type, "update", reference),
                ["patch"] = Operation(type, "patch", reference),
                ["delete"] = Operation(type, "delete", reference),
            };
            if (type.HasStatusSubresource)
            {
                paths[collection + "/{name}/status"] = new JsonObject
                {
                    ["get"] = Operation(type, "get", reference),
                    ["put"] = Operation(type, "update", reference),
                    ["patch"] = Operation(type, "patch", reference),
                };
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.KubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    public static string PathKey(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private string Hash(string group, string version)
    {
        // Changes whenever the group/version's schemas change, so clients' caches refresh.
        var doc = Document(PathKey(group, version));
        byte[] digest = System.Security.Cryptography.SHA256.HashData(JsonResponse.Serialize(doc!));
        return Convert.ToHexString(digest, 0, 16);
    }

    private static string SchemaName(ResourceType type)
    {
        string reversedGroup = type.Group.Length == 0 ? "io.k8s.api.core" : string.Join('.', type.Group.Split('.').Reverse());
        return $"{reversedGroup}.{type.Version}.{type.Kind}";
    }

    private static JsonObject Schema(ResourceType type)
    {
        var schema = (JsonObject?)type.OpenApiSchema?.DeepClone() ?? new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"{type.Kind} (served by the NvmeLm dev cluster's embedded API server).",
            ["x-kubernetes-preserve-unknown-fields"] = true,
        };
        if (schema["properties"] is not JsonObject properties)
        {
            properties = new JsonObject();
            schema["properties"] = properties;
        }
        properties["apiVersion"] ??= new JsonObject
        {
            ["type"] = "string",
            ["description"] = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
        };
        properties["kind"] ??= new JsonObject
        {
            ["type"] = "string",
            ["description"] = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
        };
        properties["metadata"] = new JsonObject
        {
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/" + ObjectMetaName }),
            ["default"] = new JsonObject(),
            ["description"] = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(type));
        return schema;
    }

    private static JsonObject Gvk(ResourceType type) => new()
    {
        ["group"] = type.Group,
        ["kind"] = type.Kind,
        ["version"] = type.Version,
    };

    private static JsonObject Operation(ResourceType type, string action, JsonObject reference)
    {
        var parameters = new JsonArray();
        if (action is "create" or "update" or "patch")
        {
            foreach (string name in new[] { "dryRun", "fieldManager", "fieldValidation" })
            {
                parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
            }
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
            ["x-kubernetes-group-version-kind"] = Gvk(type),
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

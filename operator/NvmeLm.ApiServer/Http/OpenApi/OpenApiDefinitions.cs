using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Builtins.Schemas;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Http.OpenApi;

/// <summary>
/// The schema definitions a served type contributes to the OpenAPI documents (v3 form, <c>#/components/schemas/</c>
/// references): a built-in kind's model schema and everything it reaches (<see cref="ModelSchemaCatalog"/>),
/// or a CRD version's openAPIV3Schema with metadata referring to the real meta/v1 ObjectMeta — each root
/// marked with its <c>x-kubernetes-group-version-kind</c>, as kube-apiserver publishes them.
/// </summary>
public static class OpenApiDefinitions
{
    public const string ComponentsPrefix = "#/components/schemas/";

    /// <summary>The root definition name, e.g. <c>io.k8s.api.apps.v1.Deployment</c> or <c>io.nvmelm.v1alpha1.NvmeMigration</c>.</summary>
    public static string RootName(ResourceType type)
    {
        if (type.Model is not null)
        {
            return BuiltinSchemas.SchemaName(type.Model, type.Group);
        }
        string reversedGroup = string.Join('.', type.Group.Split('.').Reverse());
        return $"{reversedGroup}.{type.Version}.{type.Kind}";
    }

    /// <summary>Fresh copies of the type's definitions (callers may change them), root included.</summary>
    public static IReadOnlyDictionary<string, JsonObject> For(ResourceType type)
    {
        string root = RootName(type);
        var definitions = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, definition) in ModelSchemaCatalog.Instance.Closure(type.Model is null ? ModelSchemaCatalog.ObjectMetaName : root))
        {
            definitions[name] = (JsonObject)definition.DeepClone();
        }
        if (type.Model is null)
        {
            definitions[root] = CustomResourceSchema(type);
        }
        definitions[root]["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject
        {
            ["group"] = type.Group,
            ["kind"] = type.Kind,
            ["version"] = type.Version,
        });
        return definitions;
    }

    private static JsonObject CustomResourceSchema(ResourceType type)
    {
        var schema = (JsonObject?)type.OpenApiSchema?.DeepClone() ?? new JsonObject
        {
            ["type"] = "object",
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
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = ComponentsPrefix + ModelSchemaCatalog.ObjectMetaName }),
            ["default"] = new JsonObject(),
            ["description"] = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        };
        return schema;
    }
}

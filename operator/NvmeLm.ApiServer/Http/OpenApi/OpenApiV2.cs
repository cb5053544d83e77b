using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Http.OpenApi;

/// <summary>
/// The Swagger 2.0 document at <c>/openapi/v2</c>, as JSON and as the gnostic OpenAPIv2 protobuf client-go's
/// discovery asks for (<see cref="OpenApiV2Protobuf"/>): every served type's definitions (v3 schemas
/// down-converted the way kube-apiserver publishes v2: <c>#/definitions/</c> references, no
/// oneOf/anyOf/not/nullable, <c>allOf</c> of one reference folded into the reference) and its paths.
/// Built once until the served resources change.
/// </summary>
public sealed class OpenApiV2
{
    /// <summary>
    /// The media type of the protobuf document (kube-openapi <c>pkg/handler/handler.go</c> subTypeProtobuf); clients
    /// also ask with the deprecated <c>…spec.v2@v1.0+protobuf</c> (client-go's Accept), which is no valid response type.
    /// </summary>
    public const string ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private const string DeprecatedProtobufType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private readonly ResourceRegistry _registry;
    private volatile Tuple<byte[], byte[]>? _cached;

    public OpenApiV2(ResourceRegistry registry)
    {
        _registry = registry;
        _registry.Changed += () => _cached = null;
    }

    /// <summary>Whether the Accept header prefers the protobuf document (client-go lists it first).</summary>
    public static bool WantsProtobuf(string accept) =>
        accept.Contains(ProtobufContentType, StringComparison.Ordinal) || accept.Contains(DeprecatedProtobufType, StringComparison.Ordinal);

    public byte[] Json => Encoded().Item1;

    public byte[] Protobuf => Encoded().Item2;

    private Tuple<byte[], byte[]> Encoded()
    {
        if (_cached is { } cached)
        {
            return cached;
        }
        var document = Build(_registry.All);
        return _cached = Tuple.Create(JsonResponse.Serialize(document), OpenApiV2Protobuf.Encode(document));
    }

    private static JsonObject Build(IReadOnlyList<ResourceType> types)
    {
        var definitions = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var paths = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            foreach (var (name, definition) in OpenApiDefinitions.For(type))
            {
                definitions[name] = ToV2(definition)!;
            }
            string reference = "#/definitions/" + OpenApiDefinitions.RootName(type);
            foreach (var (path, operations) in OpenApiPaths.For(type))
            {
                paths[path] = new JsonObject(operations.Select(o => KeyValuePair.Create(o.Method, (JsonNode?)Operation(type, o.Action, reference))));
            }
        }
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.KubernetesVersion },
            ["paths"] = new JsonObject(paths.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["definitions"] = new JsonObject(definitions.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
        };
    }

    private static JsonObject Operation(ResourceType type, string action, string reference)
    {
        var parameters = new JsonArray();
        foreach (string name in OpenApiPaths.WriteParameters(action))
        {
            parameters.Add(new JsonObject { ["uniqueItems"] = true, ["type"] = "string", ["name"] = name, ["in"] = "query" });
        }
        return new JsonObject
        {
            ["operationId"] = action + type.Kind,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "OK", ["schema"] = new JsonObject { ["$ref"] = reference } },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = OpenApiPaths.Gvk(type),
        };
    }

    /// <summary>A v3 schema in v2 form (a copy; the input is left alone).</summary>
    private static JsonNode? ToV2(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["allOf"] is JsonArray { Count: 1 } allOf && allOf[0]?["$ref"] is JsonNode single)
                {
                    return ToV2(new JsonObject { ["$ref"] = single.DeepClone() });
                }
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (key is "oneOf" or "anyOf" or "not" or "nullable" or "x-kubernetes-validations")
                    {
                        continue;
                    }
                    result[key] = key == "$ref" && value is JsonValue text
                        ? text.GetValue<string>().Replace(OpenApiDefinitions.ComponentsPrefix, "#/definitions/", StringComparison.Ordinal)
                        : key is "properties" or "definitions" && value is JsonObject map
                            ? new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToV2(p.Value))))
                            : ToV2(value);
                }
                return result;
            case JsonArray array:
                return new JsonArray(array.Select(ToV2).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}

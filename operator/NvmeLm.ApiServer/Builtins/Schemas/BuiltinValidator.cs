using System.Text.Json;
using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Builtins.Schemas;

/// <summary>
/// Checks a built-in object against its model schema the way kube-apiserver's decoder does: a value of the
/// wrong JSON type is a 400 (<c>json: cannot unmarshal string into Go struct field … of type int32</c>);
/// fields the schema does not declare are dropped, which the request's <c>fieldValidation</c> turns into a
/// strict-decoding error (Strict), warnings (Warn) or nothing (Ignore) — see ResourceService.ValidateCustom.
/// metadata is left to the server's own handling.
/// </summary>
public sealed class BuiltinValidator(string rootName, string kind, string version) : IObjectValidator
{
    public IReadOnlyList<InvalidCause> ValidateCreate(JsonObject obj)
    {
        Walk(obj, ModelSchemaCatalog.Instance.Definition(rootName), "", root: true);
        return [];
    }

    public IReadOnlyList<InvalidCause> ValidateUpdate(JsonObject obj, JsonObject oldObj) => ValidateCreate(obj);

    private void Walk(JsonNode? value, JsonObject? schema, string path, bool root = false)
    {
        schema = Resolve(schema);
        if (value is null || schema is null || schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            return;
        }
        CheckType(value, schema, path);
        switch (value)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (key, child) in obj.ToList())
                {
                    if (root && key is "metadata" or "apiVersion" or "kind")
                    {
                        continue;
                    }
                    if (properties[key] is JsonObject propertySchema)
                    {
                        Walk(child, propertySchema, Child(path, key));
                    }
                    else
                    {
                        obj.Remove(key);
                    }
                }
                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject valueSchema:
                foreach (var (key, child) in map)
                {
                    Walk(child, valueSchema, Child(path, key));
                }
                break;
            case JsonArray list when schema["items"] is JsonObject itemSchema:
                for (int i = 0; i < list.Count; i++)
                {
                    Walk(list[i], itemSchema, $"{path}[{i}]");
                }
                break;
        }
    }

    private void CheckType(JsonNode value, JsonObject schema, string path)
    {
        var kindOfValue = value.GetValueKind();
        bool intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        bool quantity = schema["oneOf"] is not null;
        bool ok = schema["type"]?.GetValue<string>() switch
        {
            "object" => kindOfValue == JsonValueKind.Object,
            "array" => kindOfValue == JsonValueKind.Array,
            "string" => kindOfValue == JsonValueKind.String || (intOrString && IsInteger(value)),
            "integer" => IsInteger(value),
            "number" => kindOfValue == JsonValueKind.Number,
            "boolean" => kindOfValue is JsonValueKind.True or JsonValueKind.False,
            _ => !quantity || kindOfValue is JsonValueKind.String or JsonValueKind.Number,
        };
        if (!ok)
        {
            // The message of encoding/json's UnmarshalTypeError as kube-apiserver wraps it (runtime.NewStrictDecodingError aside).
            throw ApiException.BadRequest(
                $"{kind} in version \"{version}\" cannot be handled as a {kind}: json: cannot unmarshal {JsonKind(kindOfValue)} into Go struct field .{path} of type {GoType(schema)}");
        }
    }

    private static bool IsInteger(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out _);

    private static JsonObject? Resolve(JsonObject? schema) =>
        schema?["$ref"]?.GetValue<string>() is { } reference ? ModelSchemaCatalog.Instance.Definition(reference) : schema;

    private static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string JsonKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    private static string GoType(JsonObject schema) => (schema["type"]?.GetValue<string>(), schema["format"]?.GetValue<string>()) switch
    {
        ("integer", "int32") => "int32",
        ("integer", _) => "int64",
        ("number", _) => "float64",
        ("boolean", _) => "bool",
        ("string", _) => "string",
        ("array", _) => "[]",
        _ => "map[string]",
    };
}

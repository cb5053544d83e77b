using System.Text.Json.Nodes;
using Google.Protobuf;

namespace NvmeLm.ApiServer.Http.OpenApi;

/// <summary>
/// Encodes the Swagger 2.0 document as gnostic's <c>openapi.v2.Document</c> protobuf (field numbers from
/// google/gnostic <c>openapiv2/OpenAPIv2.proto</c>), the form client-go's <c>OpenAPISchema()</c> decodes:
/// info, paths with their operations and query parameters, definitions with every schema keyword the
/// Kubernetes documents use; vendor extensions, defaults and enum values travel as YAML (JSON text is YAML).
/// </summary>
public static class OpenApiV2Protobuf
{
    public static byte[] Encode(JsonObject document)
    {
        var output = new ProtoMessage();
        output.String(1, Text(document["swagger"]));
        output.Embed(2, Info(document["info"] as JsonObject));
        output.Embed(8, Paths(document["paths"] as JsonObject));
        var definitions = new ProtoMessage();
        foreach (var (name, schema) in document["definitions"] as JsonObject ?? [])
        {
            definitions.Embed(1, Named(name, Schema(schema as JsonObject)));
        }
        output.Embed(9, definitions);
        return output.ToArray();
    }

    private static ProtoMessage Info(JsonObject? info)
    {
        var message = new ProtoMessage();
        message.String(1, Text(info?["title"]));
        message.String(2, Text(info?["version"]));
        return message;
    }

    private static ProtoMessage Paths(JsonObject? paths)
    {
        var message = new ProtoMessage();
        foreach (var (path, item) in paths ?? [])
        {
            var pathItem = new ProtoMessage();
            foreach (var (method, operation) in item as JsonObject ?? [])
            {
                int field = method switch { "get" => 2, "put" => 3, "post" => 4, "delete" => 5, "patch" => 8, _ => 0 };
                if (field > 0)
                {
                    pathItem.Embed(field, Operation((JsonObject)operation!));
                }
            }
            message.Embed(2, Named(path, pathItem));
        }
        return message;
    }

    private static ProtoMessage Operation(JsonObject operation)
    {
        var message = new ProtoMessage();
        message.String(5, Text(operation["operationId"]));
        foreach (var parameter in (operation["parameters"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            // ParametersItem{parameter=1: Parameter{non_body_parameter=2: NonBodyParameter{query=3: QueryParameterSubSchema}}}.
            var query = new ProtoMessage();
            query.String(2, Text(parameter["in"]));
            query.String(4, Text(parameter["name"]));
            query.String(6, Text(parameter["type"]));
            query.Bool(20, parameter["uniqueItems"]?.GetValue<bool>() == true);
            message.Embed(8, new ProtoMessage().Embed(1, new ProtoMessage().Embed(2, new ProtoMessage().Embed(3, query))));
        }
        var responses = new ProtoMessage();
        foreach (var (code, response) in operation["responses"] as JsonObject ?? [])
        {
            var body = new ProtoMessage();
            body.String(1, Text(response?["description"]));
            if (response?["schema"] is JsonObject schema)
            {
                body.Embed(2, new ProtoMessage().Embed(1, Schema(schema)));
            }
            responses.Embed(1, Named(code, new ProtoMessage().Embed(1, body)));
        }
        message.Embed(9, responses);
        foreach (var (key, value) in operation.Where(p => p.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            message.Embed(13, Named(key, Any(value)));
        }
        return message;
    }

    private static ProtoMessage Schema(JsonObject? schema)
    {
        var message = new ProtoMessage();
        if (schema is null)
        {
            return message;
        }
        message.String(1, Text(schema["$ref"]));
        message.String(2, Text(schema["format"]));
        message.String(4, Text(schema["description"]));
        if (schema["default"] is JsonNode defaultValue)
        {
            message.Embed(5, Any(defaultValue));
        }
        message.Double(7, schema["maximum"]);
        message.Double(9, schema["minimum"]);
        message.Int64(11, schema["maxLength"]);
        message.Int64(12, schema["minLength"]);
        message.String(13, Text(schema["pattern"]));
        message.Int64(14, schema["maxItems"]);
        message.Int64(15, schema["minItems"]);
        foreach (var required in (schema["required"] as JsonArray) ?? [])
        {
            message.String(19, Text(required));
        }
        foreach (var value in (schema["enum"] as JsonArray) ?? [])
        {
            message.Embed(20, Any(value));
        }
        switch (schema["additionalProperties"])
        {
            case JsonObject additional:
                message.Embed(21, new ProtoMessage().Embed(1, Schema(additional)));
                break;
            case JsonValue allowed:
                message.Embed(21, new ProtoMessage().Bool(2, allowed.GetValue<bool>(), always: true));
                break;
        }
        if (schema["type"] is JsonNode type)
        {
            message.Embed(22, new ProtoMessage().String(1, Text(type)));
        }
        if (schema["items"] is JsonObject items)
        {
            message.Embed(23, new ProtoMessage().Embed(1, Schema(items)));
        }
        foreach (var part in (schema["allOf"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            message.Embed(24, Schema(part));
        }
        if (schema["properties"] is JsonObject properties)
        {
            var named = new ProtoMessage();
            foreach (var (name, property) in properties)
            {
                named.Embed(1, Named(name, Schema(property as JsonObject)));
            }
            message.Embed(25, named);
        }
        foreach (var (key, value) in schema.Where(p => p.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            message.Embed(31, Named(key, Any(value)));
        }
        return message;
    }

    /// <summary>gnostic's Named* messages: name=1, value=2.</summary>
    private static ProtoMessage Named(string name, ProtoMessage value) => new ProtoMessage().String(1, name).Embed(2, value);

    /// <summary>gnostic's Any: yaml=2 (JSON text is valid YAML).</summary>
    private static ProtoMessage Any(JsonNode? value) => new ProtoMessage().String(2, value?.ToJsonString() ?? "null");

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A protobuf message under construction (proto3: default values are not written).</summary>
    private sealed class ProtoMessage
    {
        private readonly MemoryStream _buffer = new();
        private readonly CodedOutputStream _output;

        public ProtoMessage() => _output = new CodedOutputStream(_buffer, leaveOpen: true);

        public ProtoMessage String(int field, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                _output.WriteString(value);
            }
            return this;
        }

        public ProtoMessage Bool(int field, bool value, bool always = false)
        {
            if (value || always)
            {
                _output.WriteTag(field, WireFormat.WireType.Varint);
                _output.WriteBool(value);
            }
            return this;
        }

        public void Double(int field, JsonNode? value)
        {
            if (value is JsonValue number && number.TryGetValue<double>(out double d))
            {
                _output.WriteTag(field, WireFormat.WireType.Fixed64);
                _output.WriteDouble(d);
            }
        }

        public void Int64(int field, JsonNode? value)
        {
            if (value is JsonValue number && number.TryGetValue<long>(out long n))
            {
                _output.WriteTag(field, WireFormat.WireType.Varint);
                _output.WriteInt64(n);
            }
        }

        public ProtoMessage Embed(int field, ProtoMessage value)
        {
            _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _output.WriteBytes(ByteString.CopyFrom(value.ToArray()));
            return this;
        }

        public byte[] ToArray()
        {
            _output.Flush();
            return _buffer.ToArray();
        }
    }
}

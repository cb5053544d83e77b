using System.Text.Json;
using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// Converts JSON into the plain values the Cel package evaluates: objects to
/// <c>Dictionary&lt;string, object?&gt;</c>, arrays to <c>List&lt;object?&gt;</c>, integers to long (CEL int),
/// other numbers to double, strings and booleans as is.
/// </summary>
internal static class CelValues
{
    public static object? From(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => From(p.Value)),
        JsonArray array => array.Select(From).ToList(),
        JsonValue value => FromValue(value),
        _ => throw new InvalidOperationException($"Unexpected JSON node {node.GetType().Name}"),
    };

    private static object? FromValue(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => JsonNodes.IsInteger(value) ? JsonNodes.ToInt64(value) : JsonNodes.ToDouble(value),
        _ => null,
    };
}

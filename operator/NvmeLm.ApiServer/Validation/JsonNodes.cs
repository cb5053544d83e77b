using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// Turns the loosely typed values a <see cref="k8s.Models.V1JSONSchemaProps"/> can hold into JSON nodes:
/// <c>JsonElement</c> (from KubernetesJson), <c>Dictionary&lt;object, object&gt;</c> / <c>List&lt;object&gt;</c> /
/// scalars (from KubernetesYaml), model objects (built in code).
/// </summary>
internal static class JsonNodes
{
    public static JsonNode? FromObject(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => element.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create((long)i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create((double)f),
        decimal m => JsonValue.Create(m),
        IDictionary dictionary => FromDictionary(dictionary),
        IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(FromObject)]),
        _ => JsonNode.Parse(KubernetesJson.Serialize(value)),
    };

    private static JsonObject FromDictionary(IDictionary dictionary)
    {
        var result = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            result[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!] = FromObject(entry.Value);
        }

        return result;
    }

    /// <summary>JSON equality of two values (object key order ignored), as enum and default checks need.</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b) || NumbersEqual(a, b);

    private static bool NumbersEqual(JsonNode? a, JsonNode? b) =>
        a is JsonValue va && b is JsonValue vb
        && va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number
        && ToDouble(va) == ToDouble(vb);

    /// <summary>Whether a JSON number is integral (what OpenAPI <c>type: integer</c> accepts).</summary>
    public static bool IsInteger(JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        double d = ToDouble(value);
        return Math.Floor(d) == d && !double.IsInfinity(d);
    }

    /// <summary>
    /// The number a JSON value holds, whether it was parsed (wraps a JsonElement) or created from a CLR
    /// number in code (wraps that primitive).
    /// </summary>
    public static double ToDouble(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.GetDouble();
        }

        if (value.TryGetValue<long>(out long l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out int i))
        {
            return i;
        }

        if (value.TryGetValue<double>(out double d))
        {
            return d;
        }

        return double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An integral JSON number as a long (callers check <see cref="IsInteger"/> first).</summary>
    public static long ToInt64(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out long fromElement))
        {
            return fromElement;
        }

        if (value.TryGetValue<long>(out long l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out int i))
        {
            return i;
        }

        return (long)ToDouble(value);
    }
}

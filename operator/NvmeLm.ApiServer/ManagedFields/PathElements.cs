using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// The serialized path elements of FieldsV1 (structured-merge-diff <c>fieldpath/serialize-pe.go</c>):
/// <c>f:&lt;field&gt;</c>, <c>k:&lt;json of the key fields, sorted&gt;</c> for an item of a map-type list,
/// <c>v:&lt;json value&gt;</c> for an item of a set-type list; and their display form in conflict
/// messages (<c>PathElement.String</c>: <c>.field</c>, <c>[k=v,…]</c>, <c>[=v]</c>).
/// </summary>
public static class PathElements
{
    /// <summary>SMD's order: fields, then keys, then values; each ordinally.</summary>
    public static IComparer<string> Comparer { get; } = StringComparer.Ordinal;

    private static readonly JsonSerializerOptions s_display = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Field(string name) => "f:" + name;

    public static string Key(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (string name in keys.Order(StringComparer.Ordinal))
        {
            if (item[name] is JsonNode value)
            {
                key[name] = value.DeepClone();
            }
        }
        return "k:" + key.ToJsonString();
    }

    public static string Value(JsonNode? value) => "v:" + (value?.ToJsonString() ?? "null");

    /// <summary>A path as conflict messages print it, e.g. <c>.spec.containers[name="op"].image</c>.</summary>
    public static string Display(IEnumerable<string> path)
    {
        var text = new StringBuilder();
        foreach (string element in path)
        {
            string body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'k':
                    var fields = JsonNode.Parse(body)!.AsObject().Select(p => $"{p.Key}={DisplayValue(p.Value)}");
                    text.Append('[').Append(string.Join(',', fields)).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(DisplayValue(JsonNode.Parse(body))).Append(']');
                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>value.ToString: strings quoted (Go %q), numbers and booleans as they are.</summary>
    private static string DisplayValue(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonSerializer.Serialize(v.GetValue<string>(), s_display) : value?.ToJsonString() ?? "null";
}

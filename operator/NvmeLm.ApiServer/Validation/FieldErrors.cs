using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// Builds <see cref="FieldError"/>s with kube-apiserver's wording (apimachinery <c>field.Error.ErrorBody</c>):
/// <c>{path}: {Type text}[: {value}][: {detail}]</c>, strings quoted, numbers and booleans bare.
/// </summary>
internal static class FieldErrors
{
    public static FieldError Invalid(string path, JsonNode? value, string detail) =>
        Create(path, FieldErrorType.Invalid, $"Invalid value: {FormatValue(value)}: {detail}");

    /// <summary>An invalid value reported by its type name, as CEL rule failures are (<c>Invalid value: "object"</c>).</summary>
    public static FieldError InvalidType(string path, string typeName, string detail) =>
        Create(path, FieldErrorType.Invalid, $"Invalid value: {Quote(typeName)}: {detail}");

    public static FieldError TypeInvalid(string path, JsonNode? value, string detail) =>
        Create(path, FieldErrorType.TypeInvalid, $"Invalid value: {FormatValue(value)}: {detail}");

    public static FieldError Required(string path, string? detail = null) =>
        Create(path, FieldErrorType.Required, string.IsNullOrEmpty(detail) ? "Required value" : $"Required value: {detail}");

    public static FieldError Forbidden(string path, string detail) =>
        Create(path, FieldErrorType.Forbidden, $"Forbidden: {detail}");

    public static FieldError NotSupported(string path, JsonNode? value, IEnumerable<string> supported) =>
        Create(path, FieldErrorType.NotSupported, $"Unsupported value: {FormatValue(value)}: supported values: {string.Join(", ", supported.Select(Quote))}");

    public static FieldError TooLong(string path, long maxLength) =>
        Create(path, FieldErrorType.TooLong, $"Too long: may not be longer than {maxLength}");

    public static FieldError TooMany(string path, int actual, long max) =>
        Create(path, FieldErrorType.TooMany, $"Too many: {actual}: must have at most {max} items");

    private static FieldError Create(string path, FieldErrorType type, string body) =>
        new(path, type, string.IsNullOrEmpty(path) ? body : $"{path}: {body}");

    /// <summary>Go's <c>%v</c> for numbers and booleans, <c>%q</c> for strings; other values as JSON.</summary>
    public static string FormatValue(JsonNode? value) => value switch
    {
        null => Quote("null"),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    /// <summary>Go's <c>strconv.Quote</c> for the characters that occur in practice.</summary>
    public static string Quote(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}

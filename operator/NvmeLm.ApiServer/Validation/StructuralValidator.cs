using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// The OpenAPI part of custom resource validation: types, required, enum, pattern, bounds and list
/// invariants, with kube-openapi's messages (<c>spec.numVfs in body should be less than or equal to 255</c>).
/// </summary>
internal static class StructuralValidator
{
    public static void ValidateRoot(JsonObject root, SchemaNode schema, List<FieldError> errors)
    {
        foreach (var name in schema.Required)
        {
            if (!root.ContainsKey(name))
            {
                errors.Add(FieldErrors.Required(name));
            }
        }

        foreach (var (name, value) in root)
        {
            // metadata is validated by the generic object rules of the server, not by the CRD schema.
            if (name is "metadata" or "apiVersion" or "kind")
            {
                continue;
            }

            if (schema.Properties?.GetValueOrDefault(name) is { } child)
            {
                Validate(value, child, name, errors);
            }
        }
    }

    private static void Validate(JsonNode? value, SchemaNode schema, string path, List<FieldError> errors)
    {
        if (value is null)
        {
            if (!schema.Nullable && schema.Type is not null)
            {
                errors.Add(FieldErrors.TypeInvalid(path, null, $"{path} in body must be of type {schema.Type}: \"null\""));
            }

            return;
        }

        if (!HasType(value, schema))
        {
            errors.Add(FieldErrors.TypeInvalid(path, value, $"{path} in body must be of type {schema.Type}: \"{JsonTypeName(value)}\""));
            return;
        }

        if (schema.Enum is { Count: > 0 } allowed && !allowed.Any(a => JsonNodes.DeepEquals(a, value)))
        {
            errors.Add(FieldErrors.NotSupported(path, value, allowed.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : a?.ToJsonString() ?? "null")));
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, errors);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                ValidateString(scalar, scalar.GetValue<string>(), schema, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(scalar, schema, path, errors);
                break;
        }
    }

    private static void ValidateObject(JsonObject obj, SchemaNode schema, string path, List<FieldError> errors)
    {
        foreach (var name in schema.Required)
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add(FieldErrors.Required(FieldPath.Child(path, name)));
            }
        }

        if (schema.MaxProperties is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(FieldErrors.TooMany(path, obj.Count, maxProperties));
        }

        if (schema.MinProperties is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(FieldErrors.Invalid(path, JsonValue.Create(obj.Count), $"{path} in body should have at least {minProperties} properties"));
        }

        foreach (var (name, child) in obj)
        {
            if (schema.Properties?.GetValueOrDefault(name) is { } property)
            {
                Validate(child, property, FieldPath.Child(path, name), errors);
            }
            else if (schema.AdditionalProperties is { } values)
            {
                Validate(child, values, FieldPath.Key(path, name), errors);
            }
        }
    }

    private static void ValidateArray(JsonArray array, SchemaNode schema, string path, List<FieldError> errors)
    {
        if (schema.MaxItems is { } maxItems && array.Count > maxItems)
        {
            errors.Add(FieldErrors.TooMany(path, array.Count, maxItems));
        }

        if (schema.MinItems is { } minItems && array.Count < minItems)
        {
            errors.Add(FieldErrors.Invalid(path, JsonValue.Create(array.Count), $"{path} in body should have at least {minItems} items"));
        }

        if (schema.Items is { } items)
        {
            for (int i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, FieldPath.Index(path, i), errors);
            }
        }

        ListInvariants.Validate(array, schema, path, errors);
    }

    private static void ValidateString(JsonValue node, string text, SchemaNode schema, string path, List<FieldError> errors)
    {
        // Lengths count Unicode code points, as Go's utf8.RuneCountInString does.
        int length = text.EnumerateRunes().Count();
        if (schema.MaxLength is { } maxLength && length > maxLength)
        {
            errors.Add(FieldErrors.TooLong(path, maxLength));
        }

        if (schema.MinLength is { } minLength && length < minLength)
        {
            errors.Add(FieldErrors.Invalid(path, node, $"{path} in body should be at least {minLength} chars long"));
        }

        if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            errors.Add(FieldErrors.Invalid(path, node, $"{path} in body should match '{schema.PatternText}'"));
        }

        if (schema.Format == "date-time" && !IsDateTime(text))
        {
            errors.Add(FieldErrors.Invalid(path, node, $"{path} in body must be of type date-time: \"{text}\""));
        }
    }

    private static void ValidateNumber(JsonValue node, SchemaNode schema, string path, List<FieldError> errors)
    {
        double number = JsonNodes.ToDouble(node);
        if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? number >= max : number > max))
        {
            string relation = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
            errors.Add(FieldErrors.Invalid(path, node, $"{path} in body should be {relation} {Format(max)}"));
        }

        if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? number <= min : number < min))
        {
            string relation = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            errors.Add(FieldErrors.Invalid(path, node, $"{path} in body should be {relation} {Format(min)}"));
        }

        if (schema.MultipleOf is { } factor && factor != 0 && Math.IEEERemainder(number, factor) != 0)
        {
            errors.Add(FieldErrors.Invalid(path, node, $"{path} in body should be a multiple of {Format(factor)}"));
        }
    }

    private static bool HasType(JsonNode value, SchemaNode schema)
    {
        JsonValueKind kind = value.GetValueKind();
        if (schema.IntOrString)
        {
            return kind == JsonValueKind.String || (value is JsonValue v && JsonNodes.IsInteger(v));
        }

        return schema.Type switch
        {
            null => true,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => value is JsonValue number && JsonNodes.IsInteger(number),
            _ => false,
        };
    }

    /// <summary>The JSON type name kube-openapi reports for a value of the wrong type.</summary>
    private static string JsonTypeName(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => value is JsonValue v && JsonNodes.IsInteger(v) ? "integer" : "number",
        _ => "null",
    };

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);

    private static bool IsDateTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) && text.Contains('T', StringComparison.OrdinalIgnoreCase);
}

using System.Reflection;
using k8s.Models;
using NvmeLm.Api.Schema;

namespace NvmeLm.CrdGen;

/// <summary>
/// Reflects over an API type and its <see cref="NvmeLm.Api.Schema"/> attributes and produces a structural
/// OpenAPI v3 schema: every node has a type, objects list their properties, nothing is left open except
/// where <see cref="PreserveUnknownFieldsAttribute"/> says so.
/// </summary>
public static class SchemaBuilder
{
    /// <summary>Schema of an object type: its properties, required list, description and CEL rules.</summary>
    public static V1JSONSchemaProps ForObject(Type type)
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>();
        var required = new List<string>();
        foreach (var property in JsonNames.SerializedProperties(type))
        {
            string name = JsonNames.Of(property);
            properties[name] = ForProperty(property);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = type.GetCustomAttribute<DescriptionAttribute>()?.Text,
            Properties = properties,
            Required = required.Count > 0 ? required : null,
            XKubernetesValidations = Rules(type.GetCustomAttributes<ValidationRuleAttribute>()),
        };
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property)
    {
        var schema = ForType(property.PropertyType);
        var description = property.GetCustomAttribute<DescriptionAttribute>()?.Text;
        if (description is not null)
        {
            schema.Description = description;
        }

        // List-level facets go on the array; value facets (pattern, length) on the items of a list of scalars.
        var valueSchema = schema.Type == "array" ? (V1JSONSchemaProps)schema.Items : schema;
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            valueSchema.Pattern = pattern.Regex;
        }

        valueSchema.MinLength = property.GetCustomAttribute<MinLengthAttribute>()?.Value ?? valueSchema.MinLength;
        valueSchema.MaxLength = property.GetCustomAttribute<MaxLengthAttribute>()?.Value ?? valueSchema.MaxLength;
        schema.Minimum = property.GetCustomAttribute<MinimumAttribute>()?.Value ?? schema.Minimum;
        schema.Maximum = property.GetCustomAttribute<MaximumAttribute>()?.Value ?? schema.Maximum;
        schema.MinItems = property.GetCustomAttribute<MinItemsAttribute>()?.Value;
        schema.MaxItems = property.GetCustomAttribute<MaxItemsAttribute>()?.Value;
        if (property.GetCustomAttribute<DefaultAttribute>() is { } defaultValue)
        {
            schema.DefaultProperty = defaultValue.Value is Enum e ? e.ToString() : defaultValue.Value;
        }

        if (property.GetCustomAttribute<ListSetAttribute>() is not null)
        {
            schema.XKubernetesListType = "set";
        }

        if (property.GetCustomAttribute<ListMapAttribute>() is { } listMap)
        {
            schema.XKubernetesListType = "map";
            schema.XKubernetesListMapKeys = [.. listMap.Keys];
        }

        if (property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null)
        {
            schema.XKubernetesPreserveUnknownFields = true;
        }

        var propertyRules = Rules(property.GetCustomAttributes<ValidationRuleAttribute>());
        if (propertyRules is not null)
        {
            schema.XKubernetesValidations = [.. schema.XKubernetesValidations ?? [], .. propertyRules];
        }

        return schema;
    }

    /// <summary>Schema of a CLR type as a value (no property-level facets).</summary>
    public static V1JSONSchemaProps ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(int))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }

        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (type.IsEnum)
        {
            return new V1JSONSchemaProps
            {
                Type = "string",
                EnumProperty = [.. Enum.GetNames(type)],
                Description = type.GetCustomAttribute<DescriptionAttribute>()?.Text,
            };
        }

        if (type == typeof(V1Condition))
        {
            return ConditionSchema.Create();
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = ForType(valueType) };
        }

        if (ListItemType(type) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = ForType(itemType) };
        }

        if (type.IsClass && type.Namespace?.StartsWith("NvmeLm.Api", StringComparison.Ordinal) == true)
        {
            return ForObject(type);
        }

        throw new NotSupportedException($"No schema mapping for {type.FullName}; add one to {nameof(SchemaBuilder)}.");
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is null)
        {
            return null;
        }

        var args = dictionary.GetGenericArguments();
        return args[0] == typeof(string)
            ? args[1]
            : throw new NotSupportedException($"Map keys must be strings: {type}");
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>));
        return list?.GetGenericArguments()[0];
    }

    private static List<V1ValidationRule>? Rules(IEnumerable<ValidationRuleAttribute> attributes)
    {
        var rules = attributes
            .Select(a => new V1ValidationRule { Rule = a.Rule, Message = a.Message, Reason = a.Reason, FieldPath = a.FieldPath })
            .ToList();
        return rules.Count > 0 ? rules : null;
    }
}

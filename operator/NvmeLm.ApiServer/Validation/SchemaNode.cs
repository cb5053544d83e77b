using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// One node of a structural schema, read once from <see cref="k8s.Models.V1JSONSchemaProps"/> with every
/// loosely typed field (items, additionalProperties, default, enum) normalised and every regex and CEL
/// rule compiled, so validating an object does no parsing.
/// </summary>
internal sealed class SchemaNode
{
    public string? Type { get; init; }
    public string? Format { get; init; }
    public string? Description { get; init; }

    /// <summary>Declared properties in declaration order; null when the node lists none.</summary>
    public IReadOnlyDictionary<string, SchemaNode>? Properties { get; init; }
    public IReadOnlyList<string> Required { get; init; } = [];
    public SchemaNode? Items { get; init; }

    /// <summary>Schema of map values (<c>additionalProperties: {schema}</c>).</summary>
    public SchemaNode? AdditionalProperties { get; init; }

    /// <summary><c>additionalProperties: true</c>: any value is allowed and kept.</summary>
    public bool AdditionalPropertiesAllowed { get; init; }

    public IReadOnlyList<JsonNode?>? Enum { get; init; }
    public JsonNode? Default { get; init; }
    public string? PatternText { get; init; }
    public Regex? Pattern { get; init; }
    public double? Minimum { get; init; }
    public bool ExclusiveMinimum { get; init; }
    public double? Maximum { get; init; }
    public bool ExclusiveMaximum { get; init; }
    public double? MultipleOf { get; init; }
    public long? MinLength { get; init; }
    public long? MaxLength { get; init; }
    public long? MinItems { get; init; }
    public long? MaxItems { get; init; }
    public long? MinProperties { get; init; }
    public long? MaxProperties { get; init; }
    public bool Nullable { get; init; }
    public bool PreserveUnknownFields { get; init; }
    public bool IntOrString { get; init; }
    public bool EmbeddedResource { get; init; }

    /// <summary><c>x-kubernetes-list-type</c>: atomic (default), set or map.</summary>
    public string? ListType { get; init; }
    public IReadOnlyList<string> ListMapKeys { get; init; } = [];
    public IReadOnlyList<CompiledRule> Rules { get; init; } = [];

    /// <summary>The type name CEL errors report as the invalid value (<c>"object"</c>, <c>"string"</c>…).</summary>
    public string TypeName => Type ?? (IntOrString ? "string" : "object");
}

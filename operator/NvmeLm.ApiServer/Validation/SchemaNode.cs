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

    /// <summary>
    /// Whether a value the update leaves unchanged can still fail a rule at or below this node: a transition rule
    /// (ratcheting skips only rules without oldSelf), or any rule under the items of a list that is not a map (its
    /// items have no old value to correlate with, so they are never "unchanged"). False lets the CEL walk skip an
    /// unchanged subtree without visiting it — a status write then does not walk the spec and the inventory.
    /// </summary>
    public bool RulesApplyWhenUnchanged => _rulesApplyWhenUnchanged ??=
        Rules.Any(r => r.IsTransition)
        || (Properties?.Values.Any(p => p.RulesApplyWhenUnchanged) ?? false)
        || (AdditionalProperties?.RulesApplyWhenUnchanged ?? false)
        || (Items is { } items && (ListType == "map" ? items.RulesApplyWhenUnchanged : items.HasRules));

    /// <summary>Whether any rule sits at or below this node.</summary>
    public bool HasRules => _hasRules ??=
        Rules.Count > 0
        || (Properties?.Values.Any(p => p.HasRules) ?? false)
        || (AdditionalProperties?.HasRules ?? false)
        || (Items?.HasRules ?? false);

    // Computed on first use (schemas are immutable once read; a race computes the same value twice).
    private bool? _rulesApplyWhenUnchanged;
    private bool? _hasRules;

    /// <summary>The type name CEL errors report as the invalid value (<c>"object"</c>, <c>"string"</c>…).</summary>
    public string TypeName => Type ?? (IntOrString ? "string" : "object");
}

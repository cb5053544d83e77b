namespace NvmeLm.Api.Schema;

/// <summary>
/// An <c>x-kubernetes-validations</c> CEL rule on the schema node of the annotated type or property.
/// <c>self</c> is that node; a rule that mentions <c>oldSelf</c> is a transition rule and is checked on
/// update only. On an optional property the rule runs only when the property is present.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class ValidationRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    /// <summary>What the API server answers when the rule evaluates to false.</summary>
    public string Message { get; } = message;

    /// <summary>Optional machine-readable reason (<c>FieldValueInvalid</c>, <c>FieldValueForbidden</c>, …).</summary>
    public string? Reason { get; init; }

    /// <summary>Optional JSON path (relative to <c>self</c>) the error is reported at, e.g. <c>.numVfs</c>.</summary>
    public string? FieldPath { get; init; }
}

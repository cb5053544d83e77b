namespace NvmeLm.Api.Schema;

/// <summary>The OpenAPI <c>description</c> of a field or type (what <c>kubectl explain</c> prints).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Enum | AttributeTargets.Field, AllowMultiple = false, Inherited = true)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    /// <summary>The text <c>kubectl explain</c> shows for this field or type.</summary>
    public string Text { get; } = text;
}

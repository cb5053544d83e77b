namespace NvmeLm.Api.Schema;

/// <summary>OpenAPI <c>maxItems</c> for a list field (bounds CEL cost as well as input).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class MaxItemsAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

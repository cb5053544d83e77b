namespace NvmeLm.Api.Schema;

/// <summary>OpenAPI <c>minItems</c> for a list field.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class MinItemsAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

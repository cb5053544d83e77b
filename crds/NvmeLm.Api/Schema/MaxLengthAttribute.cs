namespace NvmeLm.Api.Schema;

/// <summary>OpenAPI <c>maxLength</c> for a string field (bounds CEL cost as well as input).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class MaxLengthAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

namespace NvmeLm.Api.Schema;

/// <summary>OpenAPI <c>minLength</c> for a string field.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class MinLengthAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

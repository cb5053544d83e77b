namespace NvmeLm.Api.Schema;

/// <summary>OpenAPI <c>maximum</c> (inclusive) for an integer field.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

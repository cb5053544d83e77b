namespace NvmeLm.Api.Schema;

/// <summary>OpenAPI <c>minimum</c> (inclusive) for an integer field.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

namespace NvmeLm.Api.Schema;

/// <summary>OpenAPI <c>default</c>: the API server fills the field in when it is absent.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class DefaultAttribute(object value) : Attribute
{
    /// <summary>A string, number, bool, or enum member; enums are written by name.</summary>
    public object Value { get; } = value;
}

namespace NvmeLm.Api.Schema;

/// <summary>OpenAPI <c>pattern</c> for a string field, or for every string item of a list of strings.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}

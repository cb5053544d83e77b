namespace NvmeLm.Api.Schema;

/// <summary>The field must be present: listed in its object's OpenAPI <c>required</c>.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class RequiredAttribute : Attribute
{
}

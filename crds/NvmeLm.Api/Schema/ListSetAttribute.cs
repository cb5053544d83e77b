namespace NvmeLm.Api.Schema;

/// <summary><c>x-kubernetes-list-type: set</c>: a list of unique scalars that server-side apply merges by value.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ListSetAttribute : Attribute
{
}

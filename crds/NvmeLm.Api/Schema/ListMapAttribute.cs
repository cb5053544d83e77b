namespace NvmeLm.Api.Schema;

/// <summary>
/// <c>x-kubernetes-list-type: map</c> with <c>x-kubernetes-list-map-keys</c>: a list of objects identified by
/// key fields, which server-side apply merges item by item. The key fields must be required or defaulted.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    /// <summary>JSON names of the key fields.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
}

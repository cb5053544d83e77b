using System.Collections.Concurrent;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>How server-side apply merges and tracks one node of an object (structured-merge-diff <c>schema.Atom</c>).</summary>
public enum MergeKind
{
    /// <summary>A value owned and replaced whole: scalars, atomic maps and atomic lists.</summary>
    Atomic,

    /// <summary>An object whose fields (declared, or any key of a map) are owned one by one.</summary>
    Map,

    /// <summary>A list of scalars owned item by item (<c>x-kubernetes-list-type: set</c>).</summary>
    Set,

    /// <summary>A list of objects owned item by item, identified by key fields (<c>x-kubernetes-list-type: map</c>).</summary>
    AssociativeList,
}

/// <summary>
/// The merge semantics of one schema node, read from OpenAPI (<c>x-kubernetes-list-type</c>,
/// <c>x-kubernetes-list-map-keys</c>, <c>x-kubernetes-map-type</c>, or the older
/// <c>x-kubernetes-patch-strategy</c>/<c>-patch-merge-key</c>), as kube-openapi's <c>schemaconv</c> derives
/// them. Children are resolved lazily so recursive schemas terminate.
/// </summary>
public sealed class MergeType
{
    private readonly Func<string, MergeType?>? _field;
    private readonly Func<MergeType?>? _element;
    private readonly Func<string, bool> _declared;
    private readonly ConcurrentDictionary<string, MergeType> _fields = new(StringComparer.Ordinal);
    private MergeType? _elementType;

    /// <param name="kind">How the node merges.</param>
    /// <param name="keys">Key fields of an associative list's items.</param>
    /// <param name="field">A map's field type by name (null: deduced).</param>
    /// <param name="element">A list's item type (null: deduced).</param>
    /// <param name="declared">Whether a map key is a declared property (struct field) rather than a map entry; undeclared keys are members themselves.</param>
    public MergeType(MergeKind kind, IReadOnlyList<string>? keys = null, Func<string, MergeType?>? field = null, Func<MergeType?>? element = null,
        Func<string, bool>? declared = null)
    {
        Kind = kind;
        Keys = keys ?? [];
        _field = field;
        _element = element;
        _declared = declared ?? (_ => false);
    }

    /// <summary>What a schema-less part of an object becomes (SMD's deduced type): maps by field, lists atomic, every key a member.</summary>
    public static MergeType Deduced { get; } = new(MergeKind.Map);

    public static MergeType AtomicValue { get; } = new(MergeKind.Atomic);

    public MergeKind Kind { get; }

    /// <summary>The key fields of an associative list's items.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The type of a map's field (declared property or map value); deduced when the schema says nothing.</summary>
    /// <remarks>Only declared fields are cached: map keys (labels, data) are unbounded and resolve to one shared type anyway.</remarks>
    public MergeType FieldType(string name)
    {
        if (_fields.TryGetValue(name, out var known))
        {
            return known;
        }
        var type = _field?.Invoke(name) ?? Deduced;
        return _declared(name) ? _fields.GetOrAdd(name, type) : type;
    }

    /// <summary>Whether <paramref name="name"/> is a declared field (not a map entry or an unknown field).</summary>
    public bool IsDeclared(string name) => _declared(name);

    /// <summary>The type of a list's items.</summary>
    public MergeType ElementType => _elementType ??= _element?.Invoke() ?? Deduced;
}

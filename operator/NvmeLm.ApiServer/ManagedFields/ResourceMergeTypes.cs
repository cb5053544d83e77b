namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// The merge type of a whole object: its schema's, with <c>metadata</c> always typed as meta/v1 ObjectMeta
/// (kube-apiserver does the same for custom resources, whose schemas rarely describe metadata). ObjectMeta's
/// list semantics are those of k8s.io/apimachinery <c>pkg/apis/meta/v1/types.go</c>: finalizers
/// <c>+listType=set</c>, ownerReferences <c>+listType=map +listMapKey=uid</c>; labels and annotations are
/// maps owned key by key.
/// </summary>
public static class ResourceMergeTypes
{
    public static MergeType ObjectMeta { get; } = new(
        MergeKind.Map,
        field: name => name switch
        {
            "finalizers" => new MergeType(MergeKind.Set, element: () => MergeType.AtomicValue),
            "ownerReferences" => new MergeType(MergeKind.AssociativeList, ["uid"], element: () => s_ownerReference),
            "labels" or "annotations" => new MergeType(MergeKind.Map, field: _ => MergeType.AtomicValue),
            _ => MergeType.AtomicValue,
        },
        declared: _ => true);

    private static readonly MergeType s_ownerReference = new(MergeKind.Map, field: _ => MergeType.AtomicValue, declared: _ => true);

    /// <summary>The object type: <paramref name="schema"/> for everything but metadata (deduced without a schema).</summary>
    public static MergeType Root(MergeType? schema) => new(
        MergeKind.Map,
        field: name => name == "metadata" ? ObjectMeta : (schema ?? MergeType.Deduced).FieldType(name),
        declared: name => name is "apiVersion" or "kind" or "metadata" || (schema?.IsDeclared(name) ?? false));
}

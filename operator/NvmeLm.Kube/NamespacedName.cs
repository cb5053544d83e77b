using k8s;
using k8s.Models;

namespace NvmeLm.Kube;

/// <summary>
/// The identity of an object in the API: namespace (null or empty for cluster-scoped objects) and name.
/// This is the work-queue key and the cache key, as in controller-runtime's <c>types.NamespacedName</c>.
/// </summary>
public readonly record struct NamespacedName(string? Namespace, string Name)
{
    /// <summary>Creates the key of a cluster-scoped object.</summary>
    public static NamespacedName Cluster(string name) => new(null, name);

    /// <summary>The key of an object, from its metadata.</summary>
    public static NamespacedName Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj.Metadata?.Name is not { Length: > 0 } name)
        {
            throw new ArgumentException("The object has no metadata.name.", nameof(obj));
        }

        return new NamespacedName(NormalizeNamespace(obj.Metadata.NamespaceProperty), name);
    }

    /// <summary>True when the key has no namespace (a cluster-scoped object).</summary>
    public bool IsClusterScoped => string.IsNullOrEmpty(Namespace);

    /// <summary>The empty string and null both mean "no namespace"; keep one form so keys compare equal.</summary>
    public static string? NormalizeNamespace(string? ns) => string.IsNullOrEmpty(ns) ? null : ns;

    public override string ToString() => IsClusterScoped ? Name : $"{Namespace}/{Name}";
}

using System.Security.Cryptography;
using k8s.Models;
using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The Secret that carries the controller state from the source agent to the destination agent (DESIGN §4).
/// The operator creates it empty, the source agent writes <see cref="DataKey"/>, the destination agent reads it and
/// checks the SHA-256 before Set Controller State. It lives in the migration's namespace, owned by the NvmeMigration
/// (so it goes with it), or in the operator's state namespace (<see cref="MigrationOptions.StateNamespace"/>), where
/// the agents' Secret grant is one Role instead of every Secret of the cluster; an owner reference cannot cross
/// namespaces, so there the finalizer's clean-up alone deletes it.
/// </summary>
internal static class StateSecret
{
    /// <summary>The data key the state bytes are stored under (shared with the agent through the API).</summary>
    public const string DataKey = NvmeLmApi.StateSecretDataKey;

    /// <summary>Largest state accepted (shared with the agent through the API).</summary>
    public const int MaxStateBytes = NvmeLmApi.MaxStateBytes;

    /// <summary>Label that marks the Secret as migration state, for <c>kubectl get secrets -l</c>.</summary>
    public const string MigrationLabel = "nvmelm.io/migration";

    /// <summary>Label with the migration's namespace (state Secrets of many namespaces share a state namespace).</summary>
    public const string MigrationNamespaceLabel = "nvmelm.io/migration-namespace";

    /// <summary>
    /// The source node, whose agent alone may write the state: the chart's admission policy compares it with the
    /// node-name claim of the writer's token. An annotation, since node names can be longer than a label value.
    /// </summary>
    public const string SourceNodeAnnotation = "nvmelm.io/source-node";

    public static string NameFor(V1Alpha1NvmeMigration migration) => $"nvmelm-state-{migration.Metadata.Uid}";

    /// <summary>Where the Secret is: <paramref name="stateNamespace"/>, or the migration's namespace when it is null.</summary>
    public static NamespacedName Locate(V1Alpha1NvmeMigration migration, string? stateNamespace) =>
        new(stateNamespace ?? migration.Metadata.NamespaceProperty, NameFor(migration));

    public static V1Secret Create(V1Alpha1NvmeMigration migration, string? stateNamespace)
    {
        var location = Locate(migration, stateNamespace);
        var ownedHere = location.Namespace == migration.Metadata.NamespaceProperty;
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = new V1ObjectMeta
            {
                Name = location.Name,
                NamespaceProperty = location.Namespace,
                Labels = new Dictionary<string, string>
                {
                    [MigrationLabel] = migration.Metadata.Name,
                    [MigrationNamespaceLabel] = migration.Metadata.NamespaceProperty,
                },
                Annotations = new Dictionary<string, string> { [SourceNodeAnnotation] = migration.Spec.Source.Node },
                OwnerReferences = ownedHere
                    ?
                    [
                        new V1OwnerReference
                        {
                            ApiVersion = migration.ApiVersion,
                            Kind = migration.Kind,
                            Name = migration.Metadata.Name,
                            Uid = migration.Metadata.Uid,
                            Controller = true,
                            BlockOwnerDeletion = true,
                        },
                    ]
                    : null,
            },
        };
    }

    /// <summary>Ours: owned by the migration, or (in a state namespace, where no owner reference can point) labelled with it.</summary>
    public static bool IsOwnedBy(V1Secret secret, V1Alpha1NvmeMigration migration) =>
        secret.Metadata?.OwnerReferences?.Any(o => o.Uid == migration.Metadata.Uid) == true
        || (secret.Metadata?.Labels is { } labels
            && labels.TryGetValue(MigrationLabel, out var name) && name == migration.Metadata.Name
            && labels.TryGetValue(MigrationNamespaceLabel, out var ns) && ns == migration.Metadata.NamespaceProperty
            && secret.Metadata.Name == NameFor(migration));

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}

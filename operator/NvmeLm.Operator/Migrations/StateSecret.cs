using System.Security.Cryptography;
using k8s.Models;
using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The Secret that carries the controller state from the source agent to the destination agent (DESIGN §4).
/// The operator creates it empty, owned by the NvmeMigration (so it goes with it), the source agent writes
/// <see cref="DataKey"/>, the destination agent reads it and checks the SHA-256 before Set Controller State.
/// </summary>
internal static class StateSecret
{
    /// <summary>The data key the state bytes are stored under (shared with the agent through the API).</summary>
    public const string DataKey = NvmeLmApi.StateSecretDataKey;

    /// <summary>Largest state accepted (shared with the agent through the API).</summary>
    public const int MaxStateBytes = NvmeLmApi.MaxStateBytes;

    /// <summary>Label that marks the Secret as migration state, for <c>kubectl get secrets -l</c>.</summary>
    public const string MigrationLabel = "nvmelm.io/migration";

    public static string NameFor(V1Alpha1NvmeMigration migration) => $"nvmelm-state-{migration.Metadata.Uid}";

    public static V1Secret Create(V1Alpha1NvmeMigration migration) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = new V1ObjectMeta
        {
            Name = NameFor(migration),
            NamespaceProperty = migration.Metadata.NamespaceProperty,
            Labels = new Dictionary<string, string> { [MigrationLabel] = migration.Metadata.Name },
            OwnerReferences =
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
            ],
        },
    };

    public static bool IsOwnedBy(V1Secret secret, V1Alpha1NvmeMigration migration) =>
        secret.Metadata?.OwnerReferences?.Any(o => o.Uid == migration.Metadata.Uid) == true;

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}

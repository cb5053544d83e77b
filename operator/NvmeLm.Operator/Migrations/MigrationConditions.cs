using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>Condition types of an NvmeMigration (DESIGN §3) and the finalizer that guards rollback.</summary>
internal static class MigrationConditions
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
    public const string SourcePrepared = "SourcePrepared";
    public const string DestinationPrepared = "DestinationPrepared";
    public const string StateTransferred = "StateTransferred";
    public const string Migrated = "Migrated";

    /// <summary>Held from the first hardware request until the transaction is settled, so deleting a
    /// migration mid-way rolls it back before the object goes.</summary>
    public const string Finalizer = "nvmelm.io/migration-rollback";

    /// <summary>Sets a condition of the migration's status for its current generation (message capped at the schema's 32 KiB).</summary>
    public static void Set(
        V1Alpha1NvmeMigration.EntityStatus status, string type, string value, string reason, string message, V1Alpha1NvmeMigration migration, DateTime now)
    {
        status.Conditions ??= new List<k8s.Models.V1Condition>();
        NvmeLm.Kube.Resources.Conditions.Set(status.Conditions, type, value, reason, message.Length > 32768 ? message[..32768] : message,
            migration.Metadata.Generation, new DateTimeOffset(now, TimeSpan.Zero));
    }
}

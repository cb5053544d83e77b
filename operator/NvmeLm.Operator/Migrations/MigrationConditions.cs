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
}

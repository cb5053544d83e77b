namespace NvmeLm.NodeAgent.Agent;

/// <summary>The on-disk shape of the <see cref="OperationJournal"/>: one file per node, versioned.</summary>
public sealed record OperationJournalFile
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string Node { get; init; }

    public IReadOnlyList<OperationRecord> Operations { get; init; } = [];
}

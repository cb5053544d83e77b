using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>The VFs of a migration's destination node that run a controller another migration names or moved there (<see cref="MigrationHistory"/>).</summary>
internal static class DestinationOccupancy
{
    public static HashSet<string> Of(MigrationContext context, V1Alpha1NvmeMigration migration) =>
        context.MigrationCache is { } cache
            ? MigrationHistory.OccupiedVfs(cache.List(), migration.Spec.Destination.Node)
            : new HashSet<string>(StringComparer.Ordinal);
}

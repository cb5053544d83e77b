using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Which VFs host a controller this operator migrated there. After a successful migration the destination VF
/// is back to role Pool (the reservation ends) but runs the VM's controller; NvmeNode status cannot tell such a
/// VF from an idle one yet, so the picker must not offer it as a destination. Replaying the Succeeded
/// migrations in completion order gives the answer: a VF is occupied when it was the destination of a
/// migration and not the source of a later one.
/// </summary>
internal static class MigrationHistory
{
    /// <summary>PCI addresses of the occupied VFs on <paramref name="node"/>.</summary>
    public static HashSet<string> OccupiedVfs(IEnumerable<V1Alpha1NvmeMigration> migrations, string node)
    {
        var occupied = new HashSet<string>(StringComparer.Ordinal);
        var succeeded = migrations
            .Where(m => m.Status?.Phase == MigrationPhase.Succeeded && m.Status.CompletionTime is not null)
            .OrderBy(m => m.Status!.CompletionTime)
            .ThenBy(m => m.Metadata.CreationTimestamp);
        foreach (var migration in succeeded)
        {
            if (migration.Status!.Source is { } source && source.Node == node && source.VfAddress is { } from)
            {
                occupied.Remove(from);
            }

            if (migration.Status.Destination is { } destination && destination.Node == node && destination.VfAddress is { } to)
            {
                occupied.Add(to);
            }
        }

        return occupied;
    }
}

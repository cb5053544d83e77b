using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Which VFs run a VM's controller, as far as the NvmeMigrations tell. NvmeNode status cannot tell a busy Pool
/// VF from an idle one yet, so the picker must not offer as a destination (a) a VF some migration names as its
/// source (a VM runs there, whether that migration is pending, running or rolled back), or (b) a VF an earlier
/// migration moved a controller into. Replaying the migrations in time order gives the answer: a migration's
/// creation marks its source busy; its success frees the source and marks the destination busy, and so does
/// reaching Completing (the destination resumed) for the destination.
/// </summary>
internal static class MigrationHistory
{
    /// <summary>PCI addresses of the busy VFs on <paramref name="node"/>.</summary>
    public static HashSet<string> OccupiedVfs(IEnumerable<V1Alpha1NvmeMigration> migrations, string node)
    {
        var events = new List<(DateTime At, int Order, string? Freed, string? Taken)>();
        foreach (var migration in migrations)
        {
            if (migration.Spec.Source.Node == node && migration.Spec.Source.VfAddress is { } source)
            {
                events.Add((migration.Metadata.CreationTimestamp ?? DateTime.MinValue, 0, null, source));
            }

            if (migration.Status is { Phase: MigrationPhase.Succeeded, CompletionTime: { } completed } status)
            {
                var freed = status.Source?.Node == node ? status.Source.VfAddress : null;
                var taken = status.Destination?.Node == node ? status.Destination.VfAddress : null;
                events.Add((completed, 1, freed, taken));
            }
            else if (migration.Status is { Phase: MigrationPhase.Completing, Destination: { } destination } && destination.Node == node)
            {
                // Past the commit point: the controller runs on the destination, whose reservation may already be
                // released in NvmeNode spec while the Succeeded write is still to come. Busy from now on (found by the
                // 100-node demo: a second migration restored over such a VF).
                events.Add((DateTime.MaxValue, 1, null, destination.VfAddress));
            }
        }

        var occupied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, _, freed, taken) in events.OrderBy(e => e.At).ThenBy(e => e.Order))
        {
            if (freed is not null)
            {
                occupied.Remove(freed);
            }

            if (taken is not null)
            {
                occupied.Add(taken);
            }
        }

        return occupied;
    }
}

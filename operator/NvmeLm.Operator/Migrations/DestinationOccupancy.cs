using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The VFs of a migration's destination node that run a workload: allocated to a pod (the kubelet may have allocated the
/// picked VF before our hold reached the agent), or running a controller another migration names or moved there
/// (<see cref="MigrationHistory"/>).
/// </summary>
internal static class DestinationOccupancy
{
    public static HashSet<string> Of(MigrationContext context, V1Alpha1NvmeMigration migration)
    {
        string node = migration.Spec.Destination.Node;
        HashSet<string> occupied = context.MigrationCache is { } cache
            ? MigrationHistory.OccupiedVfs(cache.List(), node)
            : new HashSet<string>(StringComparer.Ordinal);
        occupied.UnionWith(DestinationPicker.AllocatedVfs(context.NodeCache.Get(NamespacedName.Cluster(node))));
        return occupied;
    }
}

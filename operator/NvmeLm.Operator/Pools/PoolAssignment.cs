using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Pools;

/// <summary>
/// Which pool owns which PF of one node. Several pools may select the same PF; the oldest pool wins it
/// (creationTimestamp, then name), deterministically, so the layout never flaps between pools; the others
/// see the PF as lost in their Conflict condition.
/// </summary>
internal sealed class PoolAssignment
{
    private PoolAssignment(string node, bool nodeSelected, Dictionary<string, V1Alpha1NvmeVfPool> winners, List<PoolConflict> conflicts, HashSet<string> selectingPools)
    {
        Node = node;
        NodeSelectedByAny = nodeSelected;
        Winners = winners;
        Conflicts = conflicts;
        SelectingPools = selectingPools;
    }

    public string Node { get; }

    public bool NodeSelectedByAny { get; }

    /// <summary>PF address → the pool that renders it.</summary>
    public IReadOnlyDictionary<string, V1Alpha1NvmeVfPool> Winners { get; }

    /// <summary>PFs a pool selects but an older pool owns.</summary>
    public IReadOnlyList<PoolConflict> Conflicts { get; }

    /// <summary>Names of the pools whose nodeSelector selects this node.</summary>
    public IReadOnlySet<string> SelectingPools { get; }

    /// <param name="poolsByAge">All pools, oldest first (<see cref="PoolSelector.ByAge"/>).</param>
    public static PoolAssignment For(V1Alpha1NvmeNode node, IDictionary<string, string>? nodeLabels, IReadOnlyList<V1Alpha1NvmeVfPool> poolsByAge)
    {
        var winners = new Dictionary<string, V1Alpha1NvmeVfPool>(StringComparer.Ordinal);
        var conflicts = new List<PoolConflict>();
        var selecting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in poolsByAge)
        {
            if (pool.Metadata.DeletionTimestamp is not null || !PoolSelector.SelectsNode(pool, nodeLabels))
            {
                continue;
            }

            selecting.Add(pool.Metadata.Name);
            foreach (var pf in node.Status?.PhysicalFunctions ?? [])
            {
                if (!PoolSelector.SelectsPf(pool, pf))
                {
                    continue;
                }

                if (winners.TryGetValue(pf.Address, out var winner))
                {
                    conflicts.Add(new PoolConflict(pool.Metadata.Name, node.Metadata.Name, pf.Address, winner.Metadata.Name));
                }
                else
                {
                    winners[pf.Address] = pool;
                }
            }
        }

        return new PoolAssignment(node.Metadata.Name, selecting.Count > 0, winners, conflicts, selecting);
    }
}

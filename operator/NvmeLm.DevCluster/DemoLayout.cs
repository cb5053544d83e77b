using System.Globalization;

namespace NvmeLm.DevCluster;

/// <summary>
/// How big the emulated nodes and the pool must be for a run, and which migration goes where. Migration k moves
/// a VF from node k mod N to node k+1 mod N (with <c>pairwise</c>, from node 2k to node 2k+1, so no node serves two
/// migrations). Sources are taken from the top of each node's pool (highest VF numbers) while the operator picks
/// destinations from the bottom, so a source is never also picked as another migration's destination.
/// </summary>
public sealed record DemoLayout(int PfsPerNode, int VfsPerPf, int? PoolNumVfsOverride, bool Pairwise)
{
    /// <summary>VFs per PF in the sample pool (<c>crds/samples/nvmevfpool.yaml</c>).</summary>
    public const int SamplePoolVfs = 4;

    /// <summary>VFs an emulated PF has (and the pool size used when the sample's is too small).</summary>
    public const int MaxVfsPerPf = 8;

    public static DemoLayout For(int nodes, int migrations, bool pairwise)
    {
        var perNode = pairwise ? 1 : (migrations + nodes - 1) / nodes;
        var needed = 2 * perNode;
        if (needed <= SamplePoolVfs)
        {
            return new DemoLayout(1, SamplePoolVfs, null, pairwise);
        }

        var pfs = (needed + MaxVfsPerPf - 1) / MaxVfsPerPf;
        return new DemoLayout(pfs, MaxVfsPerPf, MaxVfsPerPf, pairwise);
    }

    /// <summary>Names (<c>demo-1</c> …), source VFs read from each node's inventory, and destination nodes.</summary>
    public static async Task<IReadOnlyList<DemoMigration>> AssignAsync(
        SimulatedCluster cluster, DemoLayout layout, int migrations, CancellationToken cancellationToken)
    {
        var nodes = cluster.Nodes;
        var free = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            free[node.Name] = new Queue<string>(await cluster.FreeVfsAsync(node.Name, cancellationToken).ConfigureAwait(false));
        }

        var plan = new List<DemoMigration>(migrations);
        for (var k = 0; k < migrations; k++)
        {
            var (source, destination) = layout.Pairwise ? (2 * k, (2 * k) + 1) : (k % nodes.Count, (k + 1) % nodes.Count);
            var sourceNode = nodes[source].Name;
            if (!free[sourceNode].TryDequeue(out var vf))
            {
                throw new InvalidOperationException($"node {sourceNode} has no free migratable VF left for migration {k + 1}");
            }

            plan.Add(new DemoMigration(string.Create(CultureInfo.InvariantCulture, $"demo-{k + 1}"), sourceNode, vf, nodes[destination].Name));
        }

        return plan;
    }
}

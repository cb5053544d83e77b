using NvmeLm.DevCluster;
using NvmeLm.TestSupport;

namespace NvmeLm.Integration.Tests;

/// <summary>How a test shows that the agents did nothing more: it waits for their full syncs instead of sleeping.</summary>
internal static class AgentSyncs
{
    /// <summary>
    /// Waits until every running agent has finished <paramref name="syncs"/> more full syncs: the first may have begun
    /// before this call, every later one began after it, with the spec as it stood then. So whatever the agents would
    /// write for that spec is written by the time this returns.
    /// </summary>
    public static async Task WaitForEveryAgentAsync(SimulatedCluster cluster, int syncs = 2)
    {
        var agents = cluster.Nodes.Where(n => n.Agent is not null).Select(n => (n.Name, Reconciler: n.Agent!.Reconciler)).ToList();
        var start = agents.ToDictionary(a => a.Name, a => a.Reconciler.FullSyncs);
        await Eventually.TrueAsync(() => agents.All(a => a.Reconciler.FullSyncs >= start[a.Name] + syncs), $"{syncs} more full syncs of every agent");
    }
}

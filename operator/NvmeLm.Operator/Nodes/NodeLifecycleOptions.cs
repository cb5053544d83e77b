namespace NvmeLm.Operator.Nodes;

/// <summary>When an NvmeNode counts as stale.</summary>
public sealed record NodeLifecycleOptions
{
    /// <summary>
    /// An NvmeNode whose agent heartbeat (or, without one, creation) is older than this and whose Node object
    /// is gone is deleted. Both conditions: a node that is only rebooting keeps its object, and an agent that
    /// is only slow keeps its NvmeNode.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(10);
}

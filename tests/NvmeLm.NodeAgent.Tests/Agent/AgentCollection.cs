namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>The agent integration tests each start an embedded API server and agents with timers; they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AgentCollection
{
    public const string Name = "Node agent against the embedded API server";
}

namespace NvmeLm.Operator.Migrations;

/// <summary>Tuning of the migration controller.</summary>
public sealed record MigrationOptions
{
    /// <summary>How often a migration waiting on an agent looks again even without a node event (a safety net).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Phase changes one reconcile makes at most before yielding the worker (fairness across migrations).</summary>
    public int MaxTransitionsPerReconcile { get; init; } = 12;

    /// <summary>
    /// Migrations inside their critical section (source suspended, destination not yet resumed) at once on one node, as
    /// source or destination (DESIGN §4.1). More wait in Ready, fully prepared.
    /// </summary>
    public int MaxCriticalSectionsPerNode { get; init; } = 2;

    /// <summary>
    /// Namespace of the state Secrets (the chart's release namespace, so the agents need Secret access there only);
    /// null: each migration's own namespace, owned by the migration.
    /// </summary>
    public string? StateNamespace { get; init; }

    /// <summary>
    /// <c>stateTransfer: Vmm</c>: how long, once KubeVirt has scheduled the target pod, the destination's agent may take to
    /// report that pod's allocation of the prepared VF before the migration fails (<c>TargetPodAllocationUnknown</c>).
    /// </summary>
    public TimeSpan TargetPodAllocationTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>spec.vmiName</c>: how long after the NvmeMigration's creation a VMI whose launcher pods hold no recorded pool VF
    /// is waited for (<c>WaitingForAllocation</c>) before the migration fails (<c>VmiHasNoPoolVf</c>). The agent learns
    /// allocations from the kubelet's PodResources API on its poll period (10 s by default) and the operator sees them
    /// through its NvmeNode and VMI caches, so a migration created right after its VM started would otherwise fail on a
    /// VF that is there.
    /// </summary>
    public TimeSpan VmiAllocationGrace { get; init; } = TimeSpan.FromSeconds(30);
}

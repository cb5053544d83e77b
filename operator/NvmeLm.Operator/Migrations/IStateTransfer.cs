using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// How the controller state moves from source to destination (<c>spec.stateTransfer</c>). The transaction around it is
/// the same for every mode (<see cref="CriticalSection"/>, <see cref="MigrationRollback"/>): both ends prepared, a slot
/// in the per-node gate, the window opened, observed until the destination resumes (the commit point) or a step fails,
/// the destination disarmed before a rollback resumes the source. <see cref="AgentStateTransfer"/> (<c>Agent</c>) has
/// the agents move the state through the PFs and a Secret. A <c>Vmm</c> mode (KubeVirt/QEMU move the state, the agents
/// only prepare and release) arms nothing, opens the window by creating the VirtualMachineInstanceMigration, and reads
/// its progress and commit from it.
/// </summary>
internal interface IStateTransfer
{
    /// <summary>The operations the destination is armed with when it is reserved, long before the source stops.</summary>
    IReadOnlyList<NodeOperation> ArmDestination(V1Alpha1NvmeMigration migration, ResolvedEndpoint destination, ResolvedEndpoint source);

    /// <summary>Opens the window (the Suspending phase is stored first): asks the source to stop and hand over its state.</summary>
    Task<FailureCause?> OpenWindowAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken);

    /// <summary>What the ends reported so far about the steps inside the window.</summary>
    WindowProgress Observe(V1Alpha1NvmeMigration migration);

    /// <summary>
    /// Makes sure the destination will never resume, and tells whether it already did: the only safe ground for a
    /// rollback to resume the source (a controller never runs on both sides).
    /// </summary>
    Task<CommitCheck> DisarmAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken);
}

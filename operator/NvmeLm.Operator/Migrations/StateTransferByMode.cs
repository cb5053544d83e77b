using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>The <see cref="IStateTransfer"/> of each migration's <c>spec.stateTransfer</c> (validation admits only these two).</summary>
internal sealed class StateTransferByMode(IStateTransfer agent, IStateTransfer vmm) : IStateTransfer
{
    public IReadOnlyList<NodeOperation> ArmDestination(V1Alpha1NvmeMigration migration, ResolvedEndpoint destination, ResolvedEndpoint source) =>
        Of(migration).ArmDestination(migration, destination, source);

    public Task<FailureCause?> OpenWindowAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken) =>
        Of(migration).OpenWindowAsync(migration, cancellationToken);

    public WindowProgress Observe(V1Alpha1NvmeMigration migration) => Of(migration).Observe(migration);

    public Task<CommitCheck> DisarmAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken) =>
        Of(migration).DisarmAsync(migration, cancellationToken);

    private IStateTransfer Of(V1Alpha1NvmeMigration migration) => migration.Spec.StateTransfer == StateTransferMode.Vmm ? vmm : agent;
}

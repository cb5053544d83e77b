using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The NvmeMigration transaction of DESIGN §4 and §4.1:
/// <c>Pending → (Planned) → PreparingDestination → PreparingSource → Ready → Suspending → TransferringState →
/// Resuming → Completing → Succeeded</c>, and <c>RollingBack → Failed</c> on a failure after an agent was asked for
/// anything. One type per group of phases: <see cref="MigrationStart"/>, <see cref="EndpointPreparation"/>,
/// <see cref="CriticalSection"/> (the window and its commit point, with the <see cref="IStateTransfer"/> of the
/// migration's mode), <see cref="MigrationCompletion"/>, <see cref="MigrationRollback"/>, <see cref="MigrationSettlement"/>.
/// State lives only in the API: the migration's status (persisted before each next request) and the two NvmeNodes
/// (requests in spec under deterministic ids, answers in status), so any operator instance can continue any migration.
/// Each reconcile reads the migration fresh (not from the cache) and runs phase handlers until one has to wait.
/// </summary>
internal sealed class MigrationReconciler : IReconciler
{
    private readonly MigrationContext _context;
    private readonly NodeWriter _nodes;
    private readonly MigrationClock _clock;
    private readonly MigrationFailure _failure;
    private readonly MigrationStart _start;
    private readonly EndpointPreparation _preparation;
    private readonly CriticalSection _critical;
    private readonly MigrationCompletion _completion;
    private readonly MigrationRollback _rollback;
    private readonly MigrationSettlement _settlement;

    public MigrationReconciler(MigrationContext context)
    {
        _context = context;
        var transitions = new MigrationTransitions(context);
        _nodes = new NodeWriter(context.Nodes, context.NodeCache, context.Stopping);
        _clock = new MigrationClock(context);
        _failure = new MigrationFailure(context, transitions);
        var secrets = new StateSecretWriter(context.Secrets, context.Options.StateNamespace);
        IStateTransfer transfer = new StateTransferByMode(
            new AgentStateTransfer(_nodes, new OperationRequests(_nodes), context.Options.StateNamespace), new VmmStateTransfer(context));
        _settlement = new MigrationSettlement(context, _nodes, secrets);
        _start = new MigrationStart(context, transitions, _nodes, _failure, _settlement);
        _critical = new CriticalSection(context, transitions, _clock, _failure, transfer, secrets);
        _preparation = new EndpointPreparation(context, transitions, _nodes, _clock, _failure, transfer, _critical);
        _completion = new MigrationCompletion(context, transitions, _nodes, _settlement);
        _rollback = new MigrationRollback(transitions, _nodes, _clock, transfer, _settlement);
    }

    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        var migration = await _context.OwnWrites.ReadAsync(_context, key, cancellationToken).ConfigureAwait(false);
        for (var i = 0; migration is not null && i < _context.Options.MaxTransitionsPerReconcile; i++)
        {
            var outcome = await StepAsync(migration, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case StepOutcome.Continue next:
                    migration = next.Next;
                    break;
                case StepOutcome.Wait wait:
                    return ReconcileResult.Success(wait.After);
                default:
                    return ReconcileResult.Success();
            }
        }

        // Gone, or many transitions in one go: yield the worker and come back at once.
        return migration is null ? ReconcileResult.Success() : ReconcileResult.Success(TimeSpan.Zero);
    }

    /// <summary>Waits until node writes in flight end (the operator is stopping: they were cancelled), so it writes nothing after.</summary>
    public Task DrainAsync() => _nodes.DrainAsync();

    /// <summary>
    /// The queue priority of a migration (DESIGN §4.1): inside its critical section a VM's device is stopped, so it goes
    /// before everything; a rollback (a source that may be suspended) and one waiting for a critical-section slot come
    /// next; preparations last.
    /// </summary>
    public static int PriorityOf(V1Alpha1NvmeMigration? migration) => migration is null ? 0 : MigrationPhases.Of(migration) switch
    {
        var inside when CriticalSectionGate.IsInside(inside) => 2,
        MigrationPhase.RollingBack or MigrationPhase.Ready => 1,
        _ => 0,
    };

    private Task<StepOutcome> StepAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var phase = MigrationPhases.Of(migration);
        if (MigrationPhases.CanRollBack(phase))
        {
            if (Finalizers.IsBeingDeleted(migration))
            {
                return _failure.FailAsync(migration, new FailureCause(FailureReasons.Deleted, "The NvmeMigration was deleted mid-way."), cancellationToken);
            }

            if (_clock.IsPast(MigrationClock.Deadline(migration)))
            {
                return _failure.FailAsync(migration, new FailureCause(FailureReasons.Timeout,
                    $"The transaction did not finish within timeoutSeconds={migration.Spec.TimeoutSeconds} (stuck in {phase})."), cancellationToken);
            }
        }

        return phase switch
        {
            MigrationPhase.Pending or MigrationPhase.Planned => _start.RunAsync(migration, phase, cancellationToken),
            MigrationPhase.PreparingDestination => _preparation.PrepareDestinationAsync(migration, cancellationToken),
            MigrationPhase.PreparingSource => _preparation.PrepareSourceAsync(migration, cancellationToken),
            MigrationPhase.Ready => _critical.EnterAsync(migration, MigrationPhase.Ready, null, cancellationToken),
            MigrationPhase.Suspending or MigrationPhase.TransferringState or MigrationPhase.Resuming => _critical.ObserveAsync(migration, cancellationToken),
            MigrationPhase.Completing => _completion.CompleteAsync(migration, cancellationToken),
            MigrationPhase.RollingBack => _rollback.RollBackAsync(migration, cancellationToken),
            _ => _settlement.SettleAsync(migration, cancellationToken),
        };
    }
}

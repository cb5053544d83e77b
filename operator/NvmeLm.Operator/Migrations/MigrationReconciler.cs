using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Kube.Resources;
using NvmeLm.Operator.Logging;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The NvmeMigration transaction of DESIGN §4 with <c>stateTransfer: Agent</c>:
/// <c>Pending → (Planned) → PreparingDestination → PreparingSource → Ready → Suspending → TransferringState →
/// Resuming → Completing → Succeeded</c>, and <c>RollingBack → Failed</c> on any failure after hardware was
/// touched. State lives only in the API: the migration's status (persisted before each next request) and the
/// two NvmeNodes (requests in spec under deterministic ids, answers in status), so any operator instance can
/// continue any migration. Each reconcile reads the migration fresh (not from the cache) and runs phase
/// handlers until one has to wait.
/// </summary>
internal sealed partial class MigrationReconciler : IReconciler
{
    private readonly MigrationContext _context;
    private readonly MigrationTransitions _transitions;
    private readonly NodeWriter _nodes;

    public MigrationReconciler(MigrationContext context)
    {
        _context = context;
        _transitions = new MigrationTransitions(context);
        _nodes = new NodeWriter(context.Nodes, context.NodeCache);
    }

    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        var migration = await _context.Migrations.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
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

    private Task<StepOutcome> StepAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var phase = MigrationPhases.Of(migration);
        if (MigrationPhases.CanRollBack(phase))
        {
            if (Finalizers.IsBeingDeleted(migration))
            {
                return FailAsync(migration, FailureReasons.Deleted, "The NvmeMigration was deleted mid-way.", cancellationToken);
            }

            if (Deadline(migration) is { } deadline && _context.Time.GetUtcNow().UtcDateTime >= deadline)
            {
                return FailAsync(migration, FailureReasons.Timeout,
                    $"The transaction did not finish within timeoutSeconds={migration.Spec.TimeoutSeconds} (stuck in {phase}).", cancellationToken);
            }
        }

        return phase switch
        {
            MigrationPhase.Pending or MigrationPhase.Planned => StartAsync(migration, phase, cancellationToken),
            MigrationPhase.PreparingDestination => PrepareDestinationAsync(migration, cancellationToken),
            MigrationPhase.PreparingSource => PrepareSourceAsync(migration, cancellationToken),
            MigrationPhase.Ready => MoveToSuspendingAsync(migration, cancellationToken),
            MigrationPhase.Suspending => SuspendAsync(migration, cancellationToken),
            MigrationPhase.TransferringState => TransferStateAsync(migration, cancellationToken),
            MigrationPhase.Resuming => ResumeAsync(migration, cancellationToken),
            MigrationPhase.Completing => CompleteAsync(migration, cancellationToken),
            MigrationPhase.RollingBack => RollBackAsync(migration, cancellationToken),
            _ => SettleTerminalAsync(migration, cancellationToken),
        };
    }

    /// <summary>The whole-transaction deadline: <c>startTime + timeoutSeconds</c>.</summary>
    private static DateTime? Deadline(V1Alpha1NvmeMigration migration) =>
        migration.Status?.StartTime is { } start
            ? DateTime.SpecifyKind(start, DateTimeKind.Utc).AddSeconds(migration.Spec.TimeoutSeconds)
            : null;

    /// <summary>How long to wait on an agent: the poll interval, but never past the deadline.</summary>
    private StepOutcome.Wait WaitForAgent(V1Alpha1NvmeMigration migration, DateTime? deadline = null)
    {
        var after = _context.Options.PollInterval;
        deadline ??= Deadline(migration);
        if (deadline is { } d)
        {
            var left = d - _context.Time.GetUtcNow().UtcDateTime;
            after = left < after ? (left < TimeSpan.Zero ? TimeSpan.Zero : left + TimeSpan.FromMilliseconds(50)) : after;
        }

        return new StepOutcome.Wait(after);
    }

    private static StepOutcome Next(V1Alpha1NvmeMigration? stored) => stored is null ? StepOutcome.Done : new StepOutcome.Continue(stored);

    /// <summary>
    /// Fails the transaction: straight to Failed while nothing was requested of an agent, otherwise to
    /// RollingBack (resume the source if it may be suspended, release both VFs). <paramref name="recordSteps"/> brings
    /// the timeline up to the failed step first when that step ran without a status write of its own (RestoreState
    /// follows SaveState in one phase), so the running step that is marked failed is the one that failed.
    /// </summary>
    private async Task<StepOutcome> FailAsync(
        V1Alpha1NvmeMigration migration, string reason, string message, CancellationToken cancellationToken,
        Action<V1Alpha1NvmeMigration.EntityStatus, DateTime>? recordSteps = null)
    {
        var phase = MigrationPhases.Of(migration);
        _context.Logger.MigrationFailed(NamespacedName.Of(migration), phase, reason, message);
        if (!MigrationPhases.CanRollBack(phase))
        {
            var failed = await _transitions.MoveAsync(migration, phase, MigrationPhase.Failed, (status, now) =>
            {
                status.FailureReason = reason;
                status.CompletionTime = now;
                SetCondition(status, MigrationConditions.Ready, "False", reason, message, migration, now);
                SetCondition(status, MigrationConditions.Degraded, "False", "NothingChanged", "No hardware action was requested.", migration, now);
            }, $"{reason}: {message}", cancellationToken).ConfigureAwait(false);
            return Next(failed);
        }

        var source = migration.Status?.Source;
        var destination = migration.Status?.Destination;
        var stored = await _transitions.MoveAsync(migration, phase, MigrationPhase.RollingBack, (status, now) =>
        {
            status.FailureReason = reason;
            recordSteps?.Invoke(status, now);
            MigrationSteps.FailRunning(status, $"{reason}: {message}", now);
            if (MigrationPhases.SourceMayBeSuspended(phase))
            {
                MigrationSteps.Start(status, StepNames.RollbackResumeSource, source?.Node, now);
            }

            if (phase != MigrationPhase.PreparingDestination)
            {
                MigrationSteps.Start(status, StepNames.RollbackReleaseSource, source?.Node, now);
            }

            MigrationSteps.Start(status, StepNames.RollbackReleaseDestination, destination?.Node, now);
            SetCondition(status, MigrationConditions.Degraded, "True", reason, message, migration, now);
        }, $"{reason}: {message}; rolling back", cancellationToken).ConfigureAwait(false);
        return Next(stored);
    }

    private void SetCondition(
        V1Alpha1NvmeMigration.EntityStatus status, string type, string value, string reason, string message, V1Alpha1NvmeMigration migration, DateTime now)
    {
        status.Conditions ??= new List<k8s.Models.V1Condition>();
        Conditions.Set(status.Conditions, type, value, reason, message.Length > 32768 ? message[..32768] : message,
            migration.Metadata.Generation, new DateTimeOffset(now, TimeSpan.Zero));
    }
}

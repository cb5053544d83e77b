using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.KubeVirt;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The critical section of DESIGN §4.1, in one place: from the source's Suspend to the destination's Resume the VM's
/// device is stopped, so nothing happens in it that could happen before.
/// <list type="number">
/// <item><b>Enter</b> (PreparingSource or Ready → Suspending): both ends prepared and the destination armed; the last
/// guard before anything destructive (no VM placed on the destination VF meanwhile: else back to PreparingDestination
/// to pick another), the state Secret created, and a slot in the per-node <see cref="CriticalSectionGate"/> (else wait
/// in Ready). The phase is stored before any request.</item>
/// <item><b>Open</b> (Suspending): the source is asked to stop and hand over its state; from here the agents need no
/// operator (<see cref="IStateTransfer"/>).</item>
/// <item><b>Observe</b> (Suspending, TransferringState, Resuming): the agents' results are written into the timeline
/// as they come, the phase following the furthest one reached, several hops in one write.</item>
/// <item><b>Commit</b>: the destination resumed. The migration moves to Completing in the same write that records the
/// downtime, and from then on only rolls forward. A failed step instead hands over to <see cref="MigrationRollback"/>,
/// which settles the commit point before it resumes the source.</item>
/// </list>
/// </summary>
internal sealed class CriticalSection(
    MigrationContext context, MigrationTransitions transitions, MigrationClock clock, MigrationFailure failure, IStateTransfer transfer,
    StateSecretWriter secrets)
{
    /// <summary>
    /// Enters the window from <paramref name="from"/> (PreparingSource, whose last step <paramref name="finishPreparation"/>
    /// records, or Ready): through Ready to Suspending in one write when a slot is free, else to Ready to wait for one.
    /// </summary>
    public async Task<StepOutcome> EnterAsync(
        V1Alpha1NvmeMigration migration, MigrationPhase from, Action<V1Alpha1NvmeMigration.EntityStatus, DateTime>? finishPreparation,
        CancellationToken cancellationToken)
    {
        var source = migration.Status!.Source!;
        var destination = migration.Status.Destination!;
        if (DestinationOccupancy.Of(context, migration).Contains(destination.VfAddress!))
        {
            // Last guard before the source stops: never let state into a VF a pod has (the kubelet allocated it before
            // our hold landed) or another migration names as its source (one created after ours picked it). Nothing ran
            // on either VF yet: back to PreparingDestination, which gives the VF back (its armed operations with it) and
            // picks another.
            var back = await transitions.MoveAsync(migration, from, MigrationPhase.PreparingDestination, (status, now) =>
            {
                finishPreparation?.Invoke(status, now);
                MigrationSteps.Start(status, StepNames.ReserveDestination, destination.Node, now);
                MigrationConditions.Set(status, MigrationConditions.DestinationPrepared, "False", FailureReasons.DestinationInUse,
                    $"VF {destination.VfAddress} on {destination.Node} is in use (allocated to a pod, or the source of another NvmeMigration); picking another destination.", migration, now);
            }, $"VF {destination.VfAddress} on {destination.Node} turned out to be in use (allocated to a pod, or the source of another NvmeMigration); picking another destination",
                cancellationToken).ConfigureAwait(false);
            return StepOutcome.From(back);
        }

        // Vmm: QEMU moves the state; no Secret carries it.
        var vmm = migration.Spec.StateTransfer == StateTransferMode.Vmm;
        if (!vmm && await secrets.EnsureAsync(migration, cancellationToken).ConfigureAwait(false) is { } secretProblem)
        {
            return await failure.FailAsync(migration, secretProblem, cancellationToken).ConfigureAwait(false);
        }

        var admitted = context.Gate.TryEnter(migration, source.Node, destination.Node);
        List<(MigrationPhase To, string Message)> hops = from == MigrationPhase.Ready ? [] : [(MigrationPhase.Ready, "both ends prepared")];
        if (admitted)
        {
            hops.Add((MigrationPhase.Suspending, vmm
                ? $"asking KubeVirt to migrate VMI {migration.Spec.VmiName} to {destination.Node}"
                : $"suspending VF {source.VfAddress} on {source.Node}"));
        }
        else if (from == MigrationPhase.Ready)
        {
            // Woken by the gate when a slot on either node frees; the poll is only a safety net.
            return clock.WaitForAgent(migration);
        }
        else
        {
            hops[0] = (MigrationPhase.Ready, $"both ends prepared; waiting for a critical-section slot on {source.Node} and {destination.Node}");
        }

        var stored = await transitions.MoveThroughAsync(migration, from, hops, (status, now) =>
        {
            finishPreparation?.Invoke(status, now);
            if (admitted && vmm)
            {
                MigrationSteps.Start(status, VmimProgress.StepName(VmimPhases.Pending), destination.Node, now);
                status.KubevirtMigration = VmimRequest.NameFor(migration);
            }
            else if (admitted)
            {
                MigrationSteps.Start(status, StepNames.Suspend, source.Node, now, requestedOfAgent: true);
                status.SecretName = StateSecret.NameFor(migration);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (admitted && (stored is null || MigrationPhases.Of(stored) != MigrationPhase.Suspending))
        {
            context.Gate.Leave(migration.Metadata.Uid!);
        }

        return StepOutcome.From(stored);
    }

    /// <summary>Suspending, TransferringState, Resuming: open the window (idempotent), then follow the agents to the commit point.</summary>
    public async Task<StepOutcome> ObserveAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var phase = MigrationPhases.Of(migration);
        if (await transfer.OpenWindowAsync(migration, cancellationToken).ConfigureAwait(false) is { } notRequested)
        {
            return await failure.FailAsync(migration, notRequested, cancellationToken).ConfigureAwait(false);
        }

        var progress = transfer.Observe(migration);
        if (progress.Failure is { } failed)
        {
            return await failure.FailAsync(migration, failed, cancellationToken, progress.Record).ConfigureAwait(false);
        }

        var reached = progress.Reached;
        if (reached <= phase)
        {
            return clock.WaitForAgent(migration);
        }

        var hops = Enumerable.Range((int)phase + 1, (int)reached - (int)phase).Select(p => ((MigrationPhase)p, Message((MigrationPhase)p, migration, progress))).ToList();
        var stored = await transitions.MoveThroughAsync(migration, phase, hops, (status, now) =>
        {
            progress.Record(status, now);
            if (progress.Committed)
            {
                Commit(status, migration, progress, now);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (progress.Committed && stored is not null && MigrationPhases.Of(stored) == MigrationPhase.Completing)
        {
            context.Gate.Leave(migration.Metadata.Uid!);
        }

        return StepOutcome.From(stored);
    }

    /// <summary>The commit point passed: the controller runs on the destination; both VFs go back to their pools from here.</summary>
    public static void Commit(V1Alpha1NvmeMigration.EntityStatus status, V1Alpha1NvmeMigration migration, WindowProgress progress, DateTime now)
    {
        var (source, destination) = (progress.Source, progress.Destination);
        if (progress.Vmm is { } vmm)
        {
            // The device downtime is inside QEMU's stop-and-copy, which the VMIM does not report.
            MigrationConditions.Set(status, MigrationConditions.StateTransferred, "True", "VmmMigrated",
                $"KubeVirt's VirtualMachineInstanceMigration {vmm.VmimName} succeeded: QEMU moved the VM and its device state to {destination.Node}.", migration, now);
            MigrationConditions.Set(status, MigrationConditions.Migrated, "True", "VmmMigrated",
                $"VMI {migration.Spec.VmiName} runs on {destination.Node} with VF {destination.VfAddress}.", migration, now);
        }
        else
        {
            MigrationConditions.Set(status, MigrationConditions.StateTransferred, "True", "StateRestored",
                $"{status.StateSizeBytes} bytes of controller state, sha256 {status.StateSha256}, restored on {destination.Node}.", migration, now);
            MigrationConditions.Set(status, MigrationConditions.Migrated, "True", "Resumed",
                $"The controller runs on VF {destination.VfAddress} of {destination.Node} (device downtime {status.Downtime?.Milliseconds} ms).", migration, now);
        }

        MigrationSteps.Start(status, StepNames.ReleaseSource, source.Node, now);
        MigrationSteps.Start(status, StepNames.ReleaseDestination, destination.Node, now);
    }

    private static string Message(MigrationPhase phase, V1Alpha1NvmeMigration migration, WindowProgress progress) => phase switch
    {
        _ when progress.Vmm is { } vmm && phase != MigrationPhase.Completing =>
            $"VirtualMachineInstanceMigration {vmm.VmimName} is {vmm.Phase}: QEMU moving VMI {migration.Spec.VmiName} to {progress.Destination.Node}",
        MigrationPhase.TransferringState => $"source suspended; moving the controller state through Secret {StateSecret.NameFor(migration)} to {progress.Destination.Node}",
        MigrationPhase.Resuming => $"state restored on {progress.Destination.Node}; resuming VF {progress.Destination.VfAddress}",
        _ => $"resumed on {progress.Destination.Node} (committed); releasing both VFs to their pools",
    };
}

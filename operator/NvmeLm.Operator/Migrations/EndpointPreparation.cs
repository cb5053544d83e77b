using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Operator.Logging;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// PreparingDestination and PreparingSource (seed steps 3–4): everything that can happen before the source stops.
/// The destination first, so a failure there never disturbs the running source: its VF is reserved as ResumeTarget
/// and, in the same write, armed with what it will do inside the window (<see cref="IStateTransfer.ArmDestination"/>);
/// then the source VF is locked as MigrationSource. Once both agents confirmed, <see cref="CriticalSection"/> takes over.
/// </summary>
internal sealed class EndpointPreparation(
    MigrationContext context, MigrationTransitions transitions, NodeWriter nodes, MigrationClock clock, MigrationFailure failure,
    IStateTransfer transfer, CriticalSection critical)
{
    /// <summary>PreparingDestination: hold and arm the destination VF; the agent does allow-resume and the VFIO bind and reports back.</summary>
    public async Task<StepOutcome> PrepareDestinationAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var uid = migration.Metadata.Uid!;
        var destination = migration.Status!.Destination!;
        if (DestinationOccupancy.Of(context, migration).Contains(destination.VfAddress!))
        {
            // A pod was allocated this VF, or a migration created after ours was resolved names it as its source: a
            // workload runs there. Give the VF back (if we reserved it already) and pick another one.
            await nodes.ReleaseAsync(destination.Node, uid, cancellationToken).ConfigureAwait(false);
            return await RepickDestinationAsync(migration, destination, cancellationToken).ConfigureAwait(false);
        }

        var driver = ExpectedDriver(nodes.Cached(destination.Node), destination);
        var arming = transfer.ArmDestination(migration, destination, migration.Status.Source!);
        // Vmm: KubeVirt's target pod must be allocated exactly this VF by the node's device plugin (verified before commit).
        var handToTargetPod = migration.Spec.StateTransfer == StateTransferMode.Vmm;
        var (outcome, node) = await nodes.HoldAsync(destination, SecondaryRole.ResumeTarget, uid, driver, arming, cancellationToken, handToTargetPod)
            .ConfigureAwait(false);
        if (node is null)
        {
            return await failure.FailAsync(migration, NodeGone(destination), cancellationToken).ConfigureAwait(false);
        }

        switch (outcome)
        {
            case NodeSpecEditor.HoldOutcome.HeldByOther:
                return await RepickDestinationAsync(migration, destination, cancellationToken).ConfigureAwait(false);
            case NodeSpecEditor.HoldOutcome.PfNotManaged:
                return await failure.FailAsync(migration, new FailureCause(FailureReasons.NoCapablePf,
                    $"PF {destination.PfAddress} on {destination.Node} is no longer managed by a pool with VF {destination.VfNumber}."), cancellationToken)
                    .ConfigureAwait(false);
        }

        driver = ExpectedDriver(node, destination);
        var reported = NodeInventory.FindSecondary(node, destination.VfAddress!)?.Secondary;
        if (reported is { Role: SecondaryRole.ResumeTarget, Online: true } && reported.OwnerUid == uid && reported.Driver == driver)
        {
            var source = migration.Status.Source!;
            var stored = await transitions.MoveAsync(migration, MigrationPhase.PreparingDestination, MigrationPhase.PreparingSource, (status, now) =>
            {
                MigrationSteps.Finish(status, StepNames.ReserveDestination, destination.Node, StepResult.Succeeded, now,
                    arming.Count == 0
                        ? $"allow-resume; bound to {driver}; the VMM brings the state"
                        : $"allow-resume; bound to {driver}; armed to restore and resume once the source saved its state");
                MigrationSteps.Start(status, StepNames.AllowMigrate, source.Node, now);
                status.Destination!.IommuGroup = reported.IommuGroup ?? status.Destination.IommuGroup;
                MigrationConditions.Set(status, MigrationConditions.DestinationPrepared, "True", "AllowResume",
                    $"VF {destination.VfAddress} on {destination.Node} is reserved as ResumeTarget and bound to {driver}.", migration, now);
            }, $"destination VF {destination.VfAddress} ready; locking source VF {source.VfAddress} on {source.Node}", cancellationToken)
                .ConfigureAwait(false);
            return StepOutcome.From(stored);
        }

        if (NodeInventory.SyncErrorForCurrentSpec(node) is { } error)
        {
            return await failure.FailAsync(migration, new FailureCause(FailureReasons.DestinationPrepareFailed,
                $"The agent on {destination.Node} could not prepare VF {destination.VfAddress}: {error}"), cancellationToken).ConfigureAwait(false);
        }

        return clock.WaitForAgent(migration);
    }

    /// <summary>PreparingSource (seed step 3, allow-migrate): lock the source VF to this migration as MigrationSource.</summary>
    public async Task<StepOutcome> PrepareSourceAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var uid = migration.Metadata.Uid!;
        var source = migration.Status!.Source!;
        var driver = ExpectedDriver(nodes.Cached(source.Node), source);
        var (outcome, node) = await nodes.HoldAsync(source, SecondaryRole.MigrationSource, uid, driver, [], cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            return await failure.FailAsync(migration, NodeGone(source), cancellationToken).ConfigureAwait(false);
        }

        switch (outcome)
        {
            case NodeSpecEditor.HoldOutcome.HeldByOther when NodeSpecEditor.FindSecondary(node, source.PfAddress, source.VfNumber)?.Role == SecondaryRole.ResumeTarget:
                // Another migration reserved our (busy) source as its destination in a race; it notices, gives the
                // VF back and picks again. Wait for that rather than fail (the transaction deadline still holds).
                return clock.WaitForAgent(migration);
            case NodeSpecEditor.HoldOutcome.HeldByOther:
                return await failure.FailAsync(migration, new FailureCause(FailureReasons.SourceVfBusy,
                    $"VF {source.VfAddress} on {source.Node} was locked by another NvmeMigration."), cancellationToken).ConfigureAwait(false);
            case NodeSpecEditor.HoldOutcome.PfNotManaged:
                return await failure.FailAsync(migration, new FailureCause(FailureReasons.SourceNotManaged,
                    $"PF {source.PfAddress} on {source.Node} is no longer managed by a pool."), cancellationToken).ConfigureAwait(false);
        }

        var reported = NodeInventory.FindSecondary(node, source.VfAddress!)?.Secondary;
        if (reported is { Role: SecondaryRole.MigrationSource, Migratable: true } && reported.OwnerUid == uid)
        {
            return await critical.EnterAsync(migration, MigrationPhase.PreparingSource, (status, now) =>
            {
                MigrationSteps.Finish(status, StepNames.AllowMigrate, source.Node, StepResult.Succeeded, now, "allow-migrate; locked as MigrationSource");
                MigrationConditions.Set(status, MigrationConditions.SourcePrepared, "True", "AllowMigrate",
                    $"VF {source.VfAddress} on {source.Node} is locked as MigrationSource.", migration, now);
            }, cancellationToken).ConfigureAwait(false);
        }

        if (NodeInventory.SyncErrorForCurrentSpec(node) is { } error)
        {
            return await failure.FailAsync(migration, new FailureCause(FailureReasons.SourcePrepareFailed,
                $"The agent on {source.Node} could not lock VF {source.VfAddress}: {error}"), cancellationToken).ConfigureAwait(false);
        }

        return clock.WaitForAgent(migration);
    }

    /// <summary>
    /// Another migration reserved the VF this one picked (both chose from the same cache), or a VM turned out to run
    /// there: pick again without it. Nothing of ours is left on the node, so this is not a rollback.
    /// </summary>
    private async Task<StepOutcome> RepickDestinationAsync(V1Alpha1NvmeMigration migration, ResolvedEndpoint taken, CancellationToken cancellationToken)
    {
        context.Logger.DestinationTaken(NamespacedName.Of(migration), taken.VfAddress);
        var excluded = DestinationOccupancy.Of(context, migration);
        excluded.Add(taken.VfAddress!);
        var outcome = MigrationValidator.Validate(migration, nodes.Cached, excluded, context.KubeVirt);
        if (outcome is not ValidationOutcome.Valid valid)
        {
            var cause = outcome switch
            {
                ValidationOutcome.Invalid invalid => new FailureCause(invalid.Reason, invalid.Message),
                ValidationOutcome.Wait wait => new FailureCause(FailureReasons.NoFreeDestinationVf, wait.Message),
                _ => new FailureCause(FailureReasons.NoFreeDestinationVf, "no destination"),
            };
            return await failure.FailAsync(migration, cause, cancellationToken).ConfigureAwait(false);
        }

        var plan = MigrationPlanner.Build(migration, valid, nodes.Cached, context.Options.StateNamespace);
        var stored = await transitions.UpdateInPhaseAsync(migration, MigrationPhase.PreparingDestination, (status, _, _) =>
        {
            status.Destination = valid.Destination;
            status.Plan = plan;
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.From(stored);
    }

    private static FailureCause NodeGone(ResolvedEndpoint endpoint) => new(FailureReasons.NodeGone, $"NvmeNode {endpoint.Node} disappeared.");

    /// <summary>The VFIO driver the pool wants for the VF (the agent reports it back once bound).</summary>
    private static string ExpectedDriver(V1Alpha1NvmeNode? node, ResolvedEndpoint endpoint) =>
        (node is null ? null : NodeSpecEditor.FindSecondary(node, endpoint.PfAddress, endpoint.VfNumber)?.Driver)
        ?? NvmeLmApi.DefaultVfioDriver;
}

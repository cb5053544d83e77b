using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Resources;
using NvmeLm.Operator.Logging;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

internal sealed partial class MigrationReconciler
{
    /// <summary>
    /// PreparingDestination (seed steps 3–4, destination first so a failure never disturbs the running source):
    /// reserve the resolved secondary as ResumeTarget owned by this migration; the agent does allow-resume and
    /// the VFIO bind and reports the role, owner and driver back.
    /// </summary>
    private async Task<StepOutcome> PrepareDestinationAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var uid = migration.Metadata.Uid!;
        var destination = migration.Status!.Destination!;
        if (OccupiedDestinations(migration).Contains(destination.VfAddress!))
        {
            // A migration created after ours was resolved names this VF as its source: a VM runs there. Give the
            // VF back (if we reserved it already) and pick another one.
            await _nodes.ReleaseAsync(destination.Node, uid, cancellationToken).ConfigureAwait(false);
            return await RepickDestinationAsync(migration, destination, cancellationToken).ConfigureAwait(false);
        }

        var driver = ExpectedDriver(_nodes.Cached(destination.Node), destination);
        var (outcome, node) = await _nodes.HoldAsync(destination, SecondaryRole.ResumeTarget, uid, driver, cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            return await FailAsync(migration, FailureReasons.NodeGone, $"NvmeNode {destination.Node} disappeared.", cancellationToken).ConfigureAwait(false);
        }

        switch (outcome)
        {
            case NodeSpecEditor.HoldOutcome.HeldByOther:
                return await RepickDestinationAsync(migration, destination, cancellationToken).ConfigureAwait(false);
            case NodeSpecEditor.HoldOutcome.PfNotManaged:
                return await FailAsync(migration, FailureReasons.NoCapablePf,
                    $"PF {destination.PfAddress} on {destination.Node} is no longer managed by a pool with VF {destination.VfNumber}.", cancellationToken)
                    .ConfigureAwait(false);
        }

        driver = ExpectedDriver(node, destination);
        var reported = NodeInventory.FindSecondary(node, destination.VfAddress!)?.Secondary;
        if (reported is { Role: SecondaryRole.ResumeTarget, Online: true } && reported.OwnerUid == uid && reported.Driver == driver)
        {
            var source = migration.Status.Source!;
            var stored = await _transitions.MoveAsync(migration, MigrationPhase.PreparingDestination, MigrationPhase.PreparingSource, (status, now) =>
            {
                MigrationSteps.Finish(status, StepNames.ReserveDestination, destination.Node, StepResult.Succeeded, now,
                    $"allow-resume; bound to {driver}");
                MigrationSteps.Start(status, StepNames.AllowMigrate, source.Node, now);
                status.Destination!.IommuGroup = reported.IommuGroup ?? status.Destination.IommuGroup;
                SetCondition(status, MigrationConditions.DestinationPrepared, "True", "AllowResume",
                    $"VF {destination.VfAddress} on {destination.Node} is reserved as ResumeTarget and bound to {driver}.", migration, now);
            }, $"destination VF {destination.VfAddress} ready; locking source VF {source.VfAddress} on {source.Node}", cancellationToken)
                .ConfigureAwait(false);
            return Next(stored);
        }

        if (NodeInventory.SyncErrorForCurrentSpec(node) is { } error)
        {
            return await FailAsync(migration, FailureReasons.DestinationPrepareFailed,
                $"The agent on {destination.Node} could not prepare VF {destination.VfAddress}: {error}", cancellationToken).ConfigureAwait(false);
        }

        return WaitForAgent(migration);
    }

    /// <summary>
    /// Another migration reserved the VF this one picked (both chose from the same cache): pick again without
    /// it. Nothing of ours was written to the node, so this is not a rollback.
    /// </summary>
    private async Task<StepOutcome> RepickDestinationAsync(V1Alpha1NvmeMigration migration, ResolvedEndpoint taken, CancellationToken cancellationToken)
    {
        _context.Logger.DestinationTaken(NamespacedName.Of(migration), taken.VfAddress);
        var excluded = OccupiedDestinations(migration);
        excluded.Add(taken.VfAddress!);
        var outcome = MigrationValidator.Validate(migration, _nodes.Cached, excluded);
        if (outcome is not ValidationOutcome.Valid valid)
        {
            var (reason, message) = outcome switch
            {
                ValidationOutcome.Invalid invalid => (invalid.Reason, invalid.Message),
                ValidationOutcome.Wait wait => (FailureReasons.NoFreeDestinationVf, wait.Message),
                _ => (FailureReasons.NoFreeDestinationVf, "no destination"),
            };
            return await FailAsync(migration, reason, message, cancellationToken).ConfigureAwait(false);
        }

        var plan = MigrationPlanner.Build(migration, valid, _nodes.Cached, _context.Options.StateNamespace);
        var stored = await _transitions.UpdateInPhaseAsync(migration, MigrationPhase.PreparingDestination, (status, _, _) =>
        {
            status.Destination = valid.Destination;
            status.Plan = plan;
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return Next(stored);
    }

    /// <summary>PreparingSource (seed step 3, allow-migrate): lock the source VF to this migration as MigrationSource.</summary>
    private async Task<StepOutcome> PrepareSourceAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var uid = migration.Metadata.Uid!;
        var source = migration.Status!.Source!;
        var driver = ExpectedDriver(_nodes.Cached(source.Node), source);
        var (outcome, node) = await _nodes.HoldAsync(source, SecondaryRole.MigrationSource, uid, driver, cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            return await FailAsync(migration, FailureReasons.NodeGone, $"NvmeNode {source.Node} disappeared.", cancellationToken).ConfigureAwait(false);
        }

        switch (outcome)
        {
            case NodeSpecEditor.HoldOutcome.HeldByOther when NodeSpecEditor.FindSecondary(node, source.PfAddress, source.VfNumber)?.Role == SecondaryRole.ResumeTarget:
                // Another migration reserved our (busy) source as its destination in a race; it notices, gives the
                // VF back and picks again. Wait for that rather than fail (the transaction deadline still holds).
                return WaitForAgent(migration);
            case NodeSpecEditor.HoldOutcome.HeldByOther:
                return await FailAsync(migration, FailureReasons.SourceVfBusy,
                    $"VF {source.VfAddress} on {source.Node} was locked by another NvmeMigration.", cancellationToken).ConfigureAwait(false);
            case NodeSpecEditor.HoldOutcome.PfNotManaged:
                return await FailAsync(migration, FailureReasons.SourceNotManaged,
                    $"PF {source.PfAddress} on {source.Node} is no longer managed by a pool.", cancellationToken).ConfigureAwait(false);
        }

        var reported = NodeInventory.FindSecondary(node, source.VfAddress!)?.Secondary;
        if (reported is { Role: SecondaryRole.MigrationSource, Migratable: true } && reported.OwnerUid == uid)
        {
            // With stateTransfer Agent nothing waits in Ready: create the state Secret and pass through Ready to
            // Suspending in one status write (an Event for each phase change still).
            if (await EnsureSecretAsync(migration, cancellationToken).ConfigureAwait(false) is { } secretProblem)
            {
                return await FailAsync(migration, FailureReasons.StateSecretConflict, secretProblem, cancellationToken).ConfigureAwait(false);
            }

            var stored = await _transitions.MoveThroughAsync(migration, MigrationPhase.PreparingSource,
                [(MigrationPhase.Ready, "both ends prepared"), (MigrationPhase.Suspending, SuspendingMessage(source))], (status, now) =>
            {
                MigrationSteps.Finish(status, StepNames.AllowMigrate, source.Node, StepResult.Succeeded, now, "allow-migrate; locked as MigrationSource");
                SetCondition(status, MigrationConditions.SourcePrepared, "True", "AllowMigrate",
                    $"VF {source.VfAddress} on {source.Node} is locked as MigrationSource.", migration, now);
                StartSuspend(status, migration, source, now);
            }, cancellationToken).ConfigureAwait(false);
            return Next(stored);
        }

        if (NodeInventory.SyncErrorForCurrentSpec(node) is { } error)
        {
            return await FailAsync(migration, FailureReasons.SourcePrepareFailed,
                $"The agent on {source.Node} could not lock VF {source.VfAddress}: {error}", cancellationToken).ConfigureAwait(false);
        }

        return WaitForAgent(migration);
    }

    /// <summary>
    /// Ready: both ends prepared. PreparingSource passes through it (see <see cref="PrepareSourceAsync"/>); a migration
    /// found stored in Ready (written so by an earlier operator version) goes on the same way: the owned state Secret
    /// is created before the source is suspended, so a Secret in the way fails the migration before any suspend.
    /// </summary>
    private async Task<StepOutcome> MoveToSuspendingAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var source = migration.Status!.Source!;
        if (await EnsureSecretAsync(migration, cancellationToken).ConfigureAwait(false) is { } secretProblem)
        {
            return await FailAsync(migration, FailureReasons.StateSecretConflict, secretProblem, cancellationToken).ConfigureAwait(false);
        }

        var stored = await _transitions.MoveAsync(migration, MigrationPhase.Ready, MigrationPhase.Suspending,
            (status, now) => StartSuspend(status, migration, source, now), SuspendingMessage(source), cancellationToken).ConfigureAwait(false);
        return Next(stored);
    }

    private static void StartSuspend(V1Alpha1NvmeMigration.EntityStatus status, V1Alpha1NvmeMigration migration, ResolvedEndpoint source, DateTime now)
    {
        MigrationSteps.Start(status, StepNames.Suspend, source.Node, now);
        status.SecretName = StateSecret.NameFor(migration);
    }

    private static string SuspendingMessage(ResolvedEndpoint source) => $"suspending VF {source.VfAddress} on {source.Node}";

    /// <summary>
    /// VFs of the destination node that run a workload: allocated to a pod (the kubelet may have allocated the picked VF
    /// before our hold reached the agent), or running a controller an earlier migration moved there (see <see cref="MigrationHistory"/>).
    /// </summary>
    private HashSet<string> OccupiedDestinations(V1Alpha1NvmeMigration migration)
    {
        string node = migration.Spec.Destination.Node;
        HashSet<string> occupied = _context.MigrationCache is { } cache ? MigrationHistory.OccupiedVfs(cache.List(), node) : new HashSet<string>(StringComparer.Ordinal);
        occupied.UnionWith(DestinationPicker.AllocatedVfs(_nodes.Cached(node)));
        return occupied;
    }

    /// <summary>The VFIO driver the pool wants for the VF (the agent reports it back once bound).</summary>
    private static string ExpectedDriver(V1Alpha1NvmeNode? node, ResolvedEndpoint endpoint) =>
        (node is null ? null : NodeSpecEditor.FindSecondary(node, endpoint.PfAddress, endpoint.VfNumber)?.Driver)
        ?? NvmeLmApi.DefaultVfioDriver;
}

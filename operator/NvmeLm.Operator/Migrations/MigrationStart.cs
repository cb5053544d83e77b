using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Pending / Planned: validate against live inventory and resolve both ends. Invalid → Failed with the reason and
/// nothing requested; mode Plan → publish the plan and stop in Planned (re-evaluated when inventory changes or mode
/// becomes Apply); Apply → finalizer, then PreparingDestination.
/// </summary>
internal sealed class MigrationStart(
    MigrationContext context, MigrationTransitions transitions, NodeWriter nodes, MigrationFailure failure, MigrationSettlement settlement)
{
    public async Task<StepOutcome> RunAsync(V1Alpha1NvmeMigration migration, MigrationPhase phase, CancellationToken cancellationToken)
    {
        if (Finalizers.IsBeingDeleted(migration))
        {
            await settlement.RemoveFinalizerAsync(migration, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Done;
        }

        var outcome = MigrationValidator.Validate(migration, nodes.Cached, DestinationOccupancy.Of(context, migration), context.KubeVirt,
            AllocationGraceOver(migration));
        switch (outcome)
        {
            case ValidationOutcome.Invalid invalid:
                return await failure.FailAsync(migration, new FailureCause(invalid.Reason, invalid.Message), cancellationToken).ConfigureAwait(false);
            case ValidationOutcome.Wait wait:
                await transitions.UpdateInPhaseAsync(migration, phase, (status, now, generation) =>
                {
                    status.Conditions ??= new List<k8s.Models.V1Condition>();
                    var changed = Conditions.Set(status.Conditions, MigrationConditions.Progressing, Conditions.True, wait.Reason, wait.Message, generation, now);
                    changed |= Conditions.Set(status.Conditions, MigrationConditions.Ready, Conditions.False, wait.Reason, wait.Message, generation, now);
                    return changed;
                }, cancellationToken).ConfigureAwait(false);
                return new StepOutcome.Wait(context.Options.PollInterval);
        }

        var valid = (ValidationOutcome.Valid)outcome;
        var plan = MigrationPlanner.Build(migration, valid, nodes.Cached, context.Options.StateNamespace);
        if (migration.Spec.Mode == MigrationMode.Plan)
        {
            return await PublishPlanAsync(migration, phase, valid, plan, cancellationToken).ConfigureAwait(false);
        }

        // The finalizer goes on before the first request to an agent, so a deletion from here on rolls back.
        if (!Finalizers.Has(migration, MigrationConditions.Finalizer))
        {
            var finalized = await context.Migrations.AddFinalizerAsync(migration, MigrationConditions.Finalizer, cancellationToken)
                .ConfigureAwait(false);
            context.OwnWrites.Written(finalized);
            migration = finalized ?? migration;
        }

        var stored = await transitions.MoveAsync(migration, phase, MigrationPhase.PreparingDestination, (status, now) =>
        {
            status.Source = valid.Source;
            status.Destination = valid.Destination;
            status.Plan = plan;
            status.StartTime = now;
            status.FailureReason = null;
            MigrationSteps.Start(status, StepNames.ReserveDestination, valid.Destination.Node, now);
        }, $"reserving VF {valid.Destination.VfAddress} on {valid.Destination.Node} for VF {valid.Source.VfAddress} of {valid.Source.Node}",
            cancellationToken).ConfigureAwait(false);
        return StepOutcome.From(stored);
    }

    /// <summary>
    /// Whether a VMI's VF allocation has had time to reach the NvmeNode (<see cref="MigrationOptions.VmiAllocationGrace"/>,
    /// counted from the object's creation; whole-second precision is enough for a grace of seconds).
    /// </summary>
    private bool AllocationGraceOver(V1Alpha1NvmeMigration migration) =>
        migration.Metadata.CreationTimestamp is not { } created
        || context.Time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) >= context.Options.VmiAllocationGrace;

    private async Task<StepOutcome> PublishPlanAsync(
        V1Alpha1NvmeMigration migration, MigrationPhase phase, ValidationOutcome.Valid valid, List<PlannedAction> plan, CancellationToken cancellationToken)
    {
        var message = $"{plan.Count} host actions on {valid.Source.Node} and {valid.Destination.Node}; set mode to Apply to run them";
        if (phase == MigrationPhase.Pending)
        {
            var stored = await transitions.MoveAsync(migration, phase, MigrationPhase.Planned, (status, _) =>
            {
                status.Source = valid.Source;
                status.Destination = valid.Destination;
                status.Plan = plan;
            }, message, cancellationToken).ConfigureAwait(false);
            return stored is not null && MigrationPhases.Of(stored) != MigrationPhase.Planned ? new StepOutcome.Continue(stored) : StepOutcome.Done;
        }

        // Already Planned: refresh only when inventory changed the plan.
        await transitions.UpdateInPhaseAsync(migration, phase, (status, now, generation) =>
        {
            var changed = !MigrationPlanner.SameAs(status.Plan, plan)
                || status.Destination?.VfAddress != valid.Destination.VfAddress || status.Source?.VfAddress != valid.Source.VfAddress;
            status.Source = valid.Source;
            status.Destination = valid.Destination;
            status.Plan = plan;
            status.Conditions ??= new List<k8s.Models.V1Condition>();
            changed |= Conditions.Set(status.Conditions, MigrationConditions.Ready, Conditions.False, "Planned",
                "status.plan lists the host actions; set mode to Apply to run them.", generation, now);
            return changed;
        }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Done;
    }
}

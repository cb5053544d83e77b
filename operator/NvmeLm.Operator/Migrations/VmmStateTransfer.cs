using System.Collections.Concurrent;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.KubeVirt;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// <c>stateTransfer: Vmm</c> (issue 11): KubeVirt moves the VM and QEMU moves the device state through the VFIO
/// migration uAPI of the destination's driver (reference <c>kubevirt-deviceplugin-helm-facts.md</c> §1–§2). The agents
/// only prepare both ends (the same holds, drivers and allow-resume / allow-migrate as Agent mode) and release them: the
/// destination is armed with nothing, no Suspend/SaveState/RestoreState/Resume is ever requested and no state Secret is
/// written. Opening the window creates the VirtualMachineInstanceMigration (<see cref="VmimRequest"/>), found first by its
/// derived name so a restarted operator never makes a second; a migration adopted from a user's VMIM only follows that
/// one. Its phase is the window's progress (<see cref="VmimProgress"/>). Once KubeVirt scheduled the target pod, the
/// commit waits until that pod is known to hold the prepared VF (<see cref="TargetPodAllocation"/>); another VF, or no
/// report within <see cref="MigrationOptions.TargetPodAllocationTimeout"/>, fails the migration (the rollback aborts the VMIM).
/// </summary>
internal sealed class VmmStateTransfer(MigrationContext context) : IStateTransfer
{
    private readonly ResourceClient<VirtualMachineInstanceMigration> _vmims = context.Vmims;

    /// <summary>The phase <see cref="OpenWindowAsync"/> read, per migration UID, taken by the <see cref="Observe"/> that follows it.</summary>
    private readonly ConcurrentDictionary<string, string> _phases = new(StringComparer.Ordinal);

    /// <summary>Target pods verified but not yet written into the timeline (step VerifyTargetPod), per migration UID.</summary>
    private readonly ConcurrentDictionary<string, string> _verified = new(StringComparer.Ordinal);

    /// <summary>Why the target pod check failed, per migration UID, taken by the <see cref="Observe"/> that follows (it fails the migration).</summary>
    private readonly ConcurrentDictionary<string, FailureCause> _failures = new(StringComparer.Ordinal);

    /// <summary>When the target pod's allocation was first found unknown, per migration UID (the timeout's start).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pendingSince = new(StringComparer.Ordinal);

    public IReadOnlyList<NodeOperation> ArmDestination(V1Alpha1NvmeMigration migration, ResolvedEndpoint destination, ResolvedEndpoint source) => [];

    public async Task<FailureCause?> OpenWindowAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var vmim = await _vmims.TryGetAsync(KeyOf(migration), cancellationToken).ConfigureAwait(false);
        if (vmim is null && VmimRequest.AdoptedFrom(migration) is { } user)
        {
            return new FailureCause(FailureReasons.VmimGone, $"The user's VirtualMachineInstanceMigration {user} is gone.");
        }

        if (vmim is null)
        {
            try
            {
                vmim = await _vmims.CreateAsync(VmimRequest.Build(migration, migration.Status!.Destination!.Node), cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                // Created by an earlier attempt whose answer was lost: the next pass reads it.
                return null;
            }
        }

        var uid = migration.Metadata.Uid!;
        var phase = vmim.Phase;
        if (TargetScheduled(phase) && !Verified(migration))
        {
            var (verdict, message) = TargetPodAllocation.Check(
                context.KubeVirt.GetVmi(vmim.Metadata.NamespaceProperty ?? "default", vmim.Spec.VmiName), vmim.Metadata.Uid!,
                context.NodeCache.Get(NamespacedName.Cluster(migration.Status!.Destination!.Node)), migration.Status.Destination);
            switch (verdict)
            {
                case TargetPodAllocation.Verdict.Verified:
                    _verified[uid] = message;
                    _pendingSince.TryRemove(uid, out _);
                    break;
                case TargetPodAllocation.Verdict.OtherVf:
                    Forget(uid);
                    _failures[uid] = new FailureCause(FailureReasons.TargetPodGotOtherVf, $"{message}; aborting the VirtualMachineInstanceMigration.");
                    break;
                default:
                    var now = context.Time.GetUtcNow();
                    if (now - _pendingSince.GetOrAdd(uid, now) >= context.Options.TargetPodAllocationTimeout)
                    {
                        Forget(uid);
                        _failures[uid] = new FailureCause(FailureReasons.TargetPodAllocationUnknown,
                            $"{message} within {context.Options.TargetPodAllocationTimeout.TotalSeconds:0.#} s; aborting the VirtualMachineInstanceMigration.");
                        break;
                    }

                    // Not committed before the check passed: KubeVirt finishing first is followed up on the next pass.
                    phase = phase == VmimPhases.Succeeded ? VmimPhases.Running : phase;
                    break;
            }
        }

        _phases[uid] = phase;
        return null;
    }

    public WindowProgress Observe(V1Alpha1NvmeMigration migration)
    {
        var uid = migration.Metadata.Uid!;
        var progress = Progress(migration, _phases.TryRemove(uid, out var phase) ? phase : VmimPhases.Pending);
        if (_failures.TryRemove(uid, out var failure))
        {
            return progress with { Vmm = progress.Vmm! with { TargetPodFailure = failure } };
        }

        if (progress.Committed)
        {
            // The window closes with this progress (which carries what was verified): nothing more to remember.
            Forget(uid);
        }

        return progress;
    }

    /// <summary>KubeVirt has created (or is past creating) the target pod: its allocation can be checked.</summary>
    private static bool TargetScheduled(string phase) =>
        VmimPhases.InOrder.ToList().IndexOf(phase) >= VmimPhases.InOrder.ToList().IndexOf(VmimPhases.Scheduled);

    /// <summary>Verified in an earlier pass: in the timeline, or seen but not yet written.</summary>
    private bool Verified(V1Alpha1NvmeMigration migration)
    {
        if (MigrationSteps.IsFinished(migration.Status!, StepNames.VerifyTargetPod))
        {
            Forget(migration.Metadata.Uid!);
            return true;
        }

        return _verified.ContainsKey(migration.Metadata.Uid!);
    }

    private void Forget(string uid)
    {
        _failures.TryRemove(uid, out _);
        _verified.TryRemove(uid, out _);
        _pendingSince.TryRemove(uid, out _);
    }

    /// <summary>
    /// Succeeded: the VM runs on the destination (committed). Failed or gone: KubeVirt keeps (or put back) the VM on the
    /// source, so the ends may be released. Otherwise KubeVirt may still move it: a VMIM the operator created is deleted
    /// (KubeVirt aborts a migration whose VMIM is deleted) and the decision waits until it is gone or final.
    /// </summary>
    public async Task<CommitCheck> DisarmAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        Forget(migration.Metadata.Uid!);
        var vmim = await _vmims.TryGetAsync(KeyOf(migration), cancellationToken).ConfigureAwait(false);
        var progress = Progress(migration, vmim?.Phase ?? VmimPhases.Failed);
        if (vmim is null || VmimPhases.IsFinal(vmim.Phase))
        {
            return new CommitCheck(progress.Committed ? CommitState.Committed : CommitState.NotCommitted, progress);
        }

        if (VmimRequest.AdoptedFrom(migration) is null)
        {
            await _vmims.DeleteAsync(KeyOf(migration), cancellationToken).ConfigureAwait(false);
        }

        return new CommitCheck(CommitState.Unknown, progress);
    }

    private WindowProgress Progress(V1Alpha1NvmeMigration migration, string phase) =>
        new(migration.Status!.Source!, migration.Status.Destination!, null, null, null, null,
            new VmimProgress(VmimRequest.NameFor(migration), phase, _verified.GetValueOrDefault(migration.Metadata.Uid!)));

    private static NamespacedName KeyOf(V1Alpha1NvmeMigration migration) =>
        new(migration.Metadata.NamespaceProperty ?? "default", VmimRequest.NameFor(migration));
}

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
/// one. Its phase is the window's progress (<see cref="VmimProgress"/>).
/// </summary>
internal sealed class VmmStateTransfer(ResourceClient<VirtualMachineInstanceMigration> vmims) : IStateTransfer
{
    /// <summary>The phase <see cref="OpenWindowAsync"/> read, per migration UID, taken by the <see cref="Observe"/> that follows it.</summary>
    private readonly ConcurrentDictionary<string, string> _phases = new(StringComparer.Ordinal);

    public IReadOnlyList<NodeOperation> ArmDestination(V1Alpha1NvmeMigration migration, ResolvedEndpoint destination, ResolvedEndpoint source) => [];

    public async Task<FailureCause?> OpenWindowAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var vmim = await vmims.TryGetAsync(KeyOf(migration), cancellationToken).ConfigureAwait(false);
        if (vmim is null && VmimRequest.AdoptedFrom(migration) is { } user)
        {
            return new FailureCause(FailureReasons.VmimGone, $"The user's VirtualMachineInstanceMigration {user} is gone.");
        }

        if (vmim is null)
        {
            try
            {
                vmim = await vmims.CreateAsync(VmimRequest.Build(migration, migration.Status!.Destination!.Node), cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                // Created by an earlier attempt whose answer was lost: the next pass reads it.
                return null;
            }
        }

        _phases[migration.Metadata.Uid!] = vmim.Phase;
        return null;
    }

    public WindowProgress Observe(V1Alpha1NvmeMigration migration) =>
        Progress(migration, _phases.TryRemove(migration.Metadata.Uid!, out var phase) ? phase : VmimPhases.Pending);

    /// <summary>
    /// Succeeded: the VM runs on the destination (committed). Failed or gone: KubeVirt keeps (or put back) the VM on the
    /// source, so the ends may be released. Otherwise KubeVirt may still move it: a VMIM the operator created is deleted
    /// (KubeVirt aborts a migration whose VMIM is deleted) and the decision waits until it is gone or final.
    /// </summary>
    public async Task<CommitCheck> DisarmAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        var vmim = await vmims.TryGetAsync(KeyOf(migration), cancellationToken).ConfigureAwait(false);
        var progress = Progress(migration, vmim?.Phase ?? VmimPhases.Failed);
        if (vmim is null || VmimPhases.IsFinal(vmim.Phase))
        {
            return new CommitCheck(progress.Committed ? CommitState.Committed : CommitState.NotCommitted, progress);
        }

        if (VmimRequest.AdoptedFrom(migration) is null)
        {
            await vmims.DeleteAsync(KeyOf(migration), cancellationToken).ConfigureAwait(false);
        }

        return new CommitCheck(CommitState.Unknown, progress);
    }

    private static WindowProgress Progress(V1Alpha1NvmeMigration migration, string phase) =>
        new(migration.Status!.Source!, migration.Status.Destination!, null, null, null, null, new VmimProgress(VmimRequest.NameFor(migration), phase));

    private static NamespacedName KeyOf(V1Alpha1NvmeMigration migration) =>
        new(migration.Metadata.NamespaceProperty ?? "default", VmimRequest.NameFor(migration));
}

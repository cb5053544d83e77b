using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using StepResult = NvmeLm.Hardware.Steps.StepResult;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// What one requested operation does on the host (seed step 6, DESIGN §4): find the VF behind its address among the
/// PFs the spec manages, and run the hardware step for its owner (the steps refuse a secondary not locked to it).
/// SaveState and RestoreState also move the bytes through the migration's Secret.
/// </summary>
public sealed class OperationHardware
{
    private readonly HostHardware _hardware;
    private readonly SpecApplier _applier;
    private readonly StateSecretStore _secrets;
    private readonly StateSecretPrefetch _prefetch;

    public OperationHardware(HostHardware hardware, SpecApplier applier, StateSecretStore secrets, StateSecretPrefetch prefetch)
    {
        _prefetch = prefetch;
        _hardware = hardware;
        _applier = applier;
        _secrets = secrets;
    }

    /// <summary>The PF and SCID whose VF is <see cref="NodeOperation.VfAddress"/>, among the PFs the spec manages; null: none.</summary>
    public ResolvedVf? Resolve(NodeOperation operation, IReadOnlyList<DesiredPf> desired)
    {
        PciAddress address = VfAddressOf(operation);
        var sysfs = new SriovSysfs(_hardware.Files);
        foreach (DesiredPf pf in desired)
        {
            SecondaryListResult list = ListSecondariesStep.Map(PfReader.Read(sysfs, pf.Pf), SecondariesOf(sysfs, pf.Pf));
            if (list.Secondaries.FirstOrDefault(s => s.VfAddress == address && s.VfEnabled) is SecondaryMapping m)
            {
                return new ResolvedVf(pf.Pf, m.Scid);
            }
        }

        return null;
    }

    /// <summary>
    /// For the window pass (the critical section): the PF and SCID whose VF is <see cref="NodeOperation.VfAddress"/>, from
    /// the host journal's lock alone — the entry allow-migrate / allow-resume recorded for <see cref="NodeOperation.OwnerUid"/>,
    /// with the VF address and SCID it read from the hardware then. Null: no such lock (yet), so the full pass decides.
    /// Inside the device downtime this saves <see cref="Resolve"/>'s sysfs walk and its Identify (CNS 15h, secondary
    /// controller list) on the PF's admin queue per step; the VF↔SCID association is the controller's own and does not
    /// change while SR-IOV stays enabled, which the lock guarantees (the agent never disables SR-IOV under a locked VF),
    /// and each step still re-checks the PF, HMLMS and the lock before its first command (MigrationPreconditions).
    /// </summary>
    public ResolvedVf? ResolveLocked(NodeOperation operation, IReadOnlyList<DesiredPf> desired) => FindLock(operation, desired)?.Vf;

    /// <summary>
    /// An armed RestoreState still waiting for its state (DESIGN §4.1): suspends its resume target now, while the source
    /// runs, so that Suspend — one NVMe command and two synced journal writes — is not part of the device downtime
    /// (<see cref="RestoreStateStep.SuspendTarget"/>). Null while it is too early: no lock for the owner yet, or the VF
    /// not yet bound to its VFIO driver, or its PF's spec did not apply this sync (a later sync asks again; like every
    /// operation, nothing is sent to a PF whose apply failed). No actions: nothing to do ahead (suspended already, or
    /// not a resume target).
    /// </summary>
    public StepResult? SuspendWaitingTarget(NodeOperation operation, IReadOnlyList<DesiredPf> desired, IReadOnlySet<PciAddress> failedPfs)
    {
        if (FindLock(operation, desired) is not { } locked || failedPfs.Contains(locked.Vf.Pf)
            || (locked.Entry.Role == VfRole.ResumeTarget && locked.Entry.Progress < VfProgress.Bound))
        {
            return null;
        }

        if (locked.Entry.Role != VfRole.ResumeTarget || locked.Entry.Progress != VfProgress.Bound)
        {
            return new StepResult(RestoreStateStep.Name, locked.Vf.Pf, DryRun: false, [], [$"nothing to suspend ahead: {locked.Entry.Role} at {locked.Entry.Progress}"]);
        }

        using StepContext context = _applier.Context(SelectedOnly(locked.Vf.Pf), operation.OwnerUid);
        return new RestoreStateStep(context).SuspendTarget(locked.Vf.Pf, locked.Vf.Scid);
    }

    private (ResolvedVf Vf, VfJournalEntry Entry)? FindLock(NodeOperation operation, IReadOnlyList<DesiredPf> desired)
    {
        PciAddress address = VfAddressOf(operation);
        using StepContext context = _applier.Context(desired, operation.OwnerUid);
        foreach (DesiredPf pf in desired)
        {
            VfJournalEntry? entry = context.Journal.Read(pf.Pf)?.Vfs
                .FirstOrDefault(v => v.Owner == operation.OwnerUid && PciAddress.TryParse(v.Address, out PciAddress locked) && locked == address);
            if (entry is not null)
            {
                return (new ResolvedVf(pf.Pf, entry.Scid), entry);
            }
        }

        return null;
    }

    private static PciAddress VfAddressOf(NodeOperation operation) =>
        PciAddress.TryParse(operation.VfAddress, out PciAddress address)
            ? address
            : throw new HardwareRefusedException(RefusalReason.InvalidInput, $"'{operation.VfAddress}' is not a PCI address");

    /// <summary>Runs the operation; <paramref name="expectedSha256"/> is the digest a RestoreState must verify.</summary>
    public async Task<OperationRecord> ExecuteAsync(
        NodeOperation operation, ResolvedVf vf, OperationRecord running, string? expectedSha256, CancellationToken cancellationToken)
    {
        using StepContext context = _applier.Context(SelectedOnly(vf.Pf), operation.OwnerUid);
        switch (operation.Type)
        {
            case NodeOperationType.Suspend:
                return running with { Message = Summary(new SuspendStep(context).Run(vf.Pf, vf.Scid)) };
            case NodeOperationType.Resume:
                return running with { Message = Summary(new ResumeStep(context).Run(vf.Pf, vf.Scid)) };
            case NodeOperationType.SaveState:
            {
                SaveStateResult saved = new SaveStateStep(context).Run(vf.Pf, vf.Scid);
                ControllerStateBlob blob = saved.State!;
                await _secrets.WriteAsync(SecretNamespace(operation), SecretName(operation), blob.Data, blob.Sha256, cancellationToken).ConfigureAwait(false);
                return running with
                {
                    StateSizeBytes = blob.Length,
                    StateSha256 = blob.Sha256,
                    Message = $"{blob.Length} bytes written to Secret {SecretNamespace(operation)}/{SecretName(operation)}",
                };
            }

            case NodeOperationType.RestoreState:
            {
                // What the Secret's watch already delivered, when it is the state the source reported; else a read.
                byte[] state = _prefetch.TryTake(SecretNamespace(operation), SecretName(operation), expectedSha256)
                    ?? await _secrets.ReadAsync(SecretNamespace(operation), SecretName(operation), cancellationToken).ConfigureAwait(false);
                // RestoreStateStep verifies size, header and SHA-256 before its first command.
                StepResult restored = new RestoreStateStep(context).Run(vf.Pf, vf.Scid, state, expectedSha256,
                    $"from Secret {SecretNamespace(operation)}/{SecretName(operation)}");
                return running with { StateSizeBytes = state.Length, StateSha256 = ControllerStateBlob.HashOf(state), Message = Summary(restored) };
            }

            case NodeOperationType.Release:
                return running with { Message = $"SCID {vf.Scid}: {SecondaryHandBack.Run(context, vf.Pf, vf.Scid)}" };
            default:
                throw new HardwareRefusedException(RefusalReason.InvalidInput, $"operation type {operation.Type} is not supported by this agent");
        }
    }

    private IReadOnlyList<Hardware.Nvme.Structures.SecondaryController> SecondariesOf(SriovSysfs sysfs, PciAddress pf)
    {
        string? device = sysfs.ReadControllerDevice(pf);
        if (device is null)
        {
            return [];
        }

        using INvmeAdminDevice admin = _hardware.Nvme.Open(device);
        return new NvmeAdminClient(admin).ListSecondaryControllers();
    }

    private static DesiredPf[] SelectedOnly(PciAddress pf) => [new DesiredPf(pf, 0, 0, 0, new Dictionary<int, DesiredSecondary>())];

    private static string SecretName(NodeOperation operation) =>
        operation.SecretName ?? throw new HardwareRefusedException(RefusalReason.InvalidInput, $"operation {operation.Id} ({operation.Type}) names no secretName");

    private static string SecretNamespace(NodeOperation operation) =>
        string.IsNullOrEmpty(operation.SecretNamespace)
            ? throw new HardwareRefusedException(RefusalReason.InvalidInput, $"operation {operation.Id} ({operation.Type}) names no secretNamespace")
            : operation.SecretNamespace;

    private static string Summary(StepResult result) =>
        result.Notes.Count > 0 ? string.Join("; ", result.Notes) : string.Join("; ", result.Actions.Select(a => a.Describe()));
}

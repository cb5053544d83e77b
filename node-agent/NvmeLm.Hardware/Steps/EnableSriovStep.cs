using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme.Commands;
using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps.Actions;
using static NvmeLm.Hardware.Nvme.VirtualizationManagementFields;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 1 (DESIGN §4): autoprobe off, <c>sriov_numvfs</c> (0 first when changing a non-zero value),
/// flexible resources per secondary, then online. Order follows the QEMU/kernel rules (reference §6, lab
/// "order semantics"): resources are assigned after numvfs (a numvfs=0 write resets every secondary to offline
/// with no resources), and online comes only after the VF exists and has resources (otherwise 0x4120).
/// Idempotent: it re-reads sysfs and the secondary list and plans only what differs.
/// </summary>
public sealed class EnableSriovStep
{
    public const string Name = "enable-sriov";

    private readonly StepContext _context;

    public EnableSriovStep(StepContext context)
    {
        _context = context;
    }

    public StepResult Run(EnableSriovRequest request)
    {
        PciAddress pf = request.Pf;
        Validate(request);
        _context.Policy.EnsureSelected(pf);
        PfSnapshot snapshot = PfReader.Read(_context.Sysfs, pf);
        if (request.NumVfs > snapshot.TotalVfs)
        {
            throw new HardwareRefusedException(RefusalReason.InvalidInput,
                $"PF {pf} supports at most {snapshot.TotalVfs} VFs (sriov_totalvfs); {request.NumVfs} were requested");
        }

        EnsureOwner(pf);
        string device = _context.PrimaryDevicePath(pf);
        var client = _context.Primary(pf);
        IdentifyController primary = client.IdentifyController();
        PrimaryControllerCapabilities caps = Capabilities.RequireVirtualizationManagement(pf, device, client, primary);
        IReadOnlyList<SecondaryController> secondaries = client.ListSecondaryControllers();

        bool resetsSecondaries = snapshot.NumVfs != request.NumVfs && snapshot.NumVfs != 0;
        var chosen = ChooseSecondaries(snapshot, secondaries, request.NumVfs);
        ValidateResources(request, caps, chosen, resetsSecondaries);

        var notes = new List<string>();
        var plan = new List<PlannedWrite>();
        if (snapshot.DriversAutoprobe)
        {
            plan.Add(new PlannedWrite(new SetAutoprobeAction(pf, false),
                r => r with { OriginalAutoprobe = r.OriginalAutoprobe ?? true, AutoprobeChangedByAgent = true },
                null));
        }

        if (snapshot.NumVfs != request.NumVfs)
        {
            int original = snapshot.NumVfs;
            Func<PfJournalRecord, PfJournalRecord> intent = r => r with { OriginalNumVfs = r.OriginalNumVfs ?? original, NumVfsChangedByAgent = true };
            Func<PfJournalRecord, PfJournalRecord>? done = null;
            if (snapshot.NumVfs != 0)
            {
                plan.Add(new PlannedWrite(new SetNumVfsAction(pf, 0), intent, done));
            }

            plan.Add(new PlannedWrite(new SetNumVfsAction(pf, request.NumVfs), intent, done));
        }

        PlanPrimaryRelease(pf, device, request, caps, chosen, resetsSecondaries, plan);
        var affectedVfs = new List<VirtualFunction>();
        foreach (SecondaryController secondary in chosen)
        {
            PlanSecondary(pf, device, snapshot, request, secondary, resetsSecondaries, plan, affectedVfs);
        }

        if (plan.Count == 0)
        {
            notes.Add($"{request.NumVfs} VF(s) already enabled with NVQ {request.QueuesPerVf}, NVI {request.InterruptsPerVf} and online");
        }

        // Every refusal before the first write: PF-wide changes need the PF and all its VFs idle.
        if (plan.Any(p => p.Action is SysfsWriteAction))
        {
            _context.Guard.EnsurePfMayBeReconfigured(_context.Policy, snapshot);
        }

        foreach (VirtualFunction vf in affectedVfs)
        {
            _context.Guard.EnsureVfMayBeReconfigured(_context.Policy, pf, vf);
        }

        var performed = new List<HostAction>();
        _context.ExecuteAll(Name, plan, performed);

        return new StepResult(Name, pf, _context.DryRun, performed, notes);
    }

    private static void Validate(EnableSriovRequest request)
    {
        if (request.NumVfs < 1 || request.QueuesPerVf < 1 || request.InterruptsPerVf < 1
            || request.QueuesPerVf > ushort.MaxValue || request.InterruptsPerVf > ushort.MaxValue)
        {
            throw new HardwareRefusedException(RefusalReason.InvalidInput,
                $"VF count, queues and interrupts must each be at least 1 (got vfs {request.NumVfs}, queues {request.QueuesPerVf}, interrupts {request.InterruptsPerVf})");
        }
    }

    private void EnsureOwner(PciAddress pf)
    {
        PfJournalRecord? record = _context.Journal.Read(pf);
        if (record is not null && record.Owner != _context.Owner)
        {
            throw new HardwareRefusedException(RefusalReason.OwnedByOther,
                $"PF {pf} was configured by '{record.Owner}' (journal {_context.Journal.PathOf(pf)}); refusing to reconfigure it for '{_context.Owner}'");
        }
    }

    /// <summary>The secondary with VFN i+1 for each VF index i &lt; N (the mapping is verified by <see cref="ListSecondariesStep"/>).</summary>
    private static List<SecondaryController> ChooseSecondaries(PfSnapshot snapshot, IReadOnlyList<SecondaryController> secondaries, int numVfs)
    {
        var chosen = new List<SecondaryController>(numVfs);
        for (int vfn = 1; vfn <= numVfs; vfn++)
        {
            SecondaryController? secondary = secondaries.FirstOrDefault(s => s.VirtualFunctionNumber == vfn);
            chosen.Add(secondary ?? throw new HardwareRefusedException(RefusalReason.WrongState,
                $"PF {snapshot.Pf}: no secondary controller reports VFN {vfn} (CNS 0x15 lists {secondaries.Count}); cannot enable {numVfs} VFs"));
        }

        return chosen;
    }

    /// <summary>
    /// Refuses requests the pool cannot hold. With a numvfs change through 0 every secondary is reset to no resources
    /// (lab "order semantics"), so nothing stays assigned to other secondaries; otherwise the others keep theirs.
    /// </summary>
    private static void ValidateResources(EnableSriovRequest request, PrimaryControllerCapabilities caps, List<SecondaryController> chosen, bool resets)
    {
        Check("VQ", "queues", request.QueuesPerVf, caps.VqFlexibleSecondaryMaximum, caps.VqFlexibleTotal, AssignedAfterReset(caps.VqFlexibleAssigned, resets), chosen.Sum(s => resets ? 0 : s.QueueResources), chosen.Count);
        Check("VI", "interrupts", request.InterruptsPerVf, caps.ViFlexibleSecondaryMaximum, caps.ViFlexibleTotal, AssignedAfterReset(caps.ViFlexibleAssigned, resets), chosen.Sum(s => resets ? 0 : s.InterruptResources), chosen.Count);

        static void Check(string kind, string option, int perVf, ushort secondaryMax, uint total, uint assigned, int assignedToChosen, int count)
        {
            if (secondaryMax > 0 && perVf > secondaryMax)
            {
                throw new HardwareRefusedException(RefusalReason.InvalidInput,
                    $"{perVf} {option} per VF exceed the secondary maximum {kind}FRSM {secondaryMax} (CNS 0x14)");
            }

            long otherAssigned = Math.Max(0, assigned - assignedToChosen);
            if (((long)perVf * count) + otherAssigned > total)
            {
                throw new HardwareRefusedException(RefusalReason.InvalidInput,
                    $"{count} VF(s) × {perVf} {option} need {(long)perVf * count} {kind} flexible resources, but {kind}FRT is {total} and {otherAssigned} are assigned to other secondaries");
            }
        }
    }

    /// <summary>VQRFA/VIRFA once the planned numvfs=0 write has reset every secondary (0), else as read.</summary>
    private static uint AssignedAfterReset(uint assigned, bool resets) => resets ? 0 : assigned;

    /// <summary>Releases the primary's own flexible allocation (ACT 1, NR 0) only when the free pool is short (QEMU doc step 1).</summary>
    private static void PlanPrimaryRelease(PciAddress pf, string device, EnableSriovRequest request, PrimaryControllerCapabilities caps,
        List<SecondaryController> chosen, bool resets, List<PlannedWrite> plan)
    {
        long vqFree = (long)caps.VqFlexibleTotal - AssignedAfterReset(caps.VqFlexibleAssigned, resets) - caps.VqFlexibleAllocatedToPrimary;
        long viFree = (long)caps.ViFlexibleTotal - AssignedAfterReset(caps.ViFlexibleAssigned, resets) - caps.ViFlexibleAllocatedToPrimary;
        long vqNeed = chosen.Sum(s => Math.Max(0, request.QueuesPerVf - (resets ? 0 : s.QueueResources)));
        long viNeed = chosen.Sum(s => Math.Max(0, request.InterruptsPerVf - (resets ? 0 : s.InterruptResources)));
        if (caps.VqFlexibleAllocatedToPrimary > 0 && vqNeed > vqFree)
        {
            plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.PrimaryFlexibleAllocation(ResourceVq, caps.ControllerId, 0)), null, null));
        }

        if (caps.ViFlexibleAllocatedToPrimary > 0 && viNeed > viFree)
        {
            plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.PrimaryFlexibleAllocation(ResourceVi, caps.ControllerId, 0)), null, null));
        }
    }

    private static void PlanSecondary(PciAddress pf, string device, PfSnapshot snapshot, EnableSriovRequest request, SecondaryController secondary, bool resets,
        List<PlannedWrite> plan, List<VirtualFunction> affectedVfs)
    {
        // After a numvfs change through 0 the controller resets every secondary (reference §6, lab).
        bool online = !resets && secondary.Online;
        int nvq = resets ? 0 : secondary.QueueResources;
        int nvi = resets ? 0 : secondary.InterruptResources;
        ushort scid = secondary.ControllerId;
        int index = secondary.VirtualFunctionNumber - 1;
        string address = snapshot.ExpectedVfAddress(index).ToString();
        // Journal flags are set with the intent, before the write: a crash after the write but before the outcome is
        // journalled must not hide the change from release. Release compares with the hardware, so a flag for a write
        // that never took effect restores nothing.
        Func<PfJournalRecord, PfJournalRecord> locate = r => r.WithVf(scid, v => v with { Vfn = secondary.VirtualFunctionNumber, Address = address });
        Func<PfJournalRecord, PfJournalRecord> assigning = r => r.WithVf(scid, v => v with { Vfn = secondary.VirtualFunctionNumber, Address = address, ResourcesAssignedByAgent = true });
        Func<PfJournalRecord, PfJournalRecord> onlining = r => r.WithVf(scid, v => v with { Vfn = secondary.VirtualFunctionNumber, Address = address, OnlinedByAgent = true });
        bool resourcesDiffer = nvq != request.QueuesPerVf || nvi != request.InterruptsPerVf;

        if (online && resourcesDiffer)
        {
            if (snapshot.FindVf(index) is VirtualFunction existing)
            {
                affectedVfs.Add(existing);
            }

            plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.SecondaryOffline(scid)), locate,
                r => r.WithVf(scid, v => v with { Progress = VfProgress.ResourcesAssigned })));
            online = false;
        }

        if (nvq != request.QueuesPerVf)
        {
            plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.SecondaryAssign(ResourceVq, scid, (ushort)request.QueuesPerVf)), assigning,
                r => r.WithVf(scid, v => v with { Progress = VfProgress.ResourcesAssigned })));
        }

        if (nvi != request.InterruptsPerVf)
        {
            plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.SecondaryAssign(ResourceVi, scid, (ushort)request.InterruptsPerVf)), assigning,
                r => r.WithVf(scid, v => v with { Progress = VfProgress.ResourcesAssigned })));
        }

        if (!online)
        {
            plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.SecondaryOnline(scid)), onlining,
                r => r.WithVf(scid, v => v with { Progress = v.Progress > VfProgress.Online ? v.Progress : VfProgress.Online })));
        }
    }
}

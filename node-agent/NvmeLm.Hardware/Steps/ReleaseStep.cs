using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme.Commands;
using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps.Actions;
using static NvmeLm.Hardware.Nvme.VirtualizationManagementFields;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Undo what the journal says the agent did, and nothing else (DESIGN §5): per secondary, unbind the driver the
/// agent bound and rebind the original one, set offline and return the flexible resources the agent assigned;
/// for the whole PF (no SCID given) also restore <c>sriov_numvfs</c> and <c>sriov_drivers_autoprobe</c> to their
/// recorded originals and remove the record. A PF with no record is not touched at all. Each action is planned
/// from the current hardware, so a release interrupted half-way converges when run again.
/// </summary>
public sealed class ReleaseStep
{
    public const string Name = "release";

    private readonly StepContext _context;

    public ReleaseStep(StepContext context)
    {
        _context = context;
    }

    public StepResult Run(PciAddress pf, int? scid = null)
    {
        _context.Policy.EnsureSelected(pf);
        ushort? onlyScid = scid is int s ? SecondaryLock.ValidateScid(s) : null;
        PfJournalRecord? record = _context.Journal.Read(pf);
        if (record is null)
        {
            return new StepResult(Name, pf, _context.DryRun, [], [$"no journal record for PF {pf}: the agent changed nothing there, so nothing is released"]);
        }

        EnsureOwned(pf, record, onlyScid);
        PfSnapshot snapshot = PfReader.Read(_context.Sysfs, pf);
        string? device = snapshot.NvmeDevice;
        IReadOnlyList<SecondaryController> secondaries = device is null ? [] : _context.Primary(pf).ListSecondaryControllers();
        var entries = record.Vfs.Where(v => onlyScid is null || v.Scid == onlyScid).ToList();
        if (onlyScid is ushort wanted && entries.Count == 0)
        {
            return new StepResult(Name, pf, _context.DryRun, [], [$"no journal entry for SCID {wanted} of PF {pf}: nothing to release"]);
        }

        var plan = new List<PlannedWrite>();
        var affected = new List<VirtualFunction>();
        foreach (VfJournalEntry entry in entries)
        {
            PlanVf(pf, device, snapshot, secondaries, entry, plan, affected);
        }

        bool wholePf = onlyScid is null;
        if (wholePf)
        {
            PlanPf(pf, snapshot, record, plan);
        }

        // All refusals before the first write.
        if (wholePf && plan.Any(p => p.Action is SetNumVfsAction or SetAutoprobeAction))
        {
            _context.Guard.EnsurePfMayBeReconfigured(_context.Policy, snapshot);
        }

        foreach (VirtualFunction vf in affected)
        {
            _context.Guard.EnsureVfMayBeReconfigured(_context.Policy, pf, vf);
        }

        var performed = new List<HostAction>();
        _context.ExecuteAll(Name, plan, performed);

        var notes = new List<string>();
        if (!_context.DryRun)
        {
            ForgetReleased(pf, entries, wholePf);
        }

        notes.Add(wholePf ? $"PF {pf} restored to its recorded state" : $"SCID {onlyScid} of PF {pf} released");
        return new StepResult(Name, pf, _context.DryRun, performed, notes);
    }

    private void EnsureOwned(PciAddress pf, PfJournalRecord record, ushort? onlyScid)
    {
        foreach (VfJournalEntry entry in record.Vfs.Where(v => onlyScid is null || v.Scid == onlyScid))
        {
            if (entry.Owner is string owner && owner != _context.Owner)
            {
                throw new HardwareRefusedException(RefusalReason.OwnedByOther,
                    $"secondary controller SCID {entry.Scid} of PF {pf} is locked to '{owner}'; refusing to release it for '{_context.Owner}'");
            }
        }

        if (onlyScid is null && record.Owner != _context.Owner)
        {
            throw new HardwareRefusedException(RefusalReason.OwnedByOther,
                $"PF {pf} was configured by '{record.Owner}'; refusing to restore it for '{_context.Owner}'");
        }
    }

    private static void PlanVf(PciAddress pf, string? device, PfSnapshot snapshot, IReadOnlyList<SecondaryController> secondaries, VfJournalEntry entry,
        List<PlannedWrite> plan, List<VirtualFunction> affected)
    {
        ushort scid = (ushort)entry.Scid;
        VirtualFunction? vf = entry.Vfn > 0 ? snapshot.FindVf(entry.Vfn - 1) : null;
        if (vf is not null && entry.DriverChangedByAgent)
        {
            if (vf.Driver is not null && vf.Driver != entry.OriginalDriver)
            {
                affected.Add(vf);
                if (entry.OriginalDriver is string original)
                {
                    plan.Add(new PlannedWrite(new BindDriverAction(pf, vf.Address, original, vf.Driver)));
                }
                else
                {
                    plan.Add(new PlannedWrite(new UnbindDriverAction(pf, vf.Address, vf.Driver)));
                }
            }
            else if (vf.Driver is null && entry.OriginalDriver is string original)
            {
                plan.Add(new PlannedWrite(new BindDriverAction(pf, vf.Address, original, null)));
            }

            if (vf.DriverOverride is not null && entry.OriginalDriverOverride is null)
            {
                plan.Add(new PlannedWrite(new ClearDriverOverrideAction(pf, vf.Address)));
            }
        }

        SecondaryController? secondary = secondaries.FirstOrDefault(s => s.ControllerId == scid);
        if (device is null || secondary is null)
        {
            return;
        }

        if (secondary.Online && entry.OnlinedByAgent)
        {
            if (vf is not null && !affected.Contains(vf))
            {
                affected.Add(vf);
            }

            plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.SecondaryOffline(scid))));
        }

        if (entry.ResourcesAssignedByAgent && (secondary.Online ? entry.OnlinedByAgent : true))
        {
            if (secondary.QueueResources > 0)
            {
                plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.SecondaryAssign(ResourceVq, scid, 0))));
            }

            if (secondary.InterruptResources > 0)
            {
                plan.Add(new PlannedWrite(NvmeActions.VirtualizationManagement(pf, device, VirtualizationManagementCommand.SecondaryAssign(ResourceVi, scid, 0))));
            }
        }
    }

    private static void PlanPf(PciAddress pf, PfSnapshot snapshot, PfJournalRecord record, List<PlannedWrite> plan)
    {
        if (record.NumVfsChangedByAgent && record.OriginalNumVfs is int originalVfs && snapshot.NumVfs != originalVfs)
        {
            if (snapshot.NumVfs != 0 && originalVfs != 0)
            {
                plan.Add(new PlannedWrite(new SetNumVfsAction(pf, 0)));
            }

            plan.Add(new PlannedWrite(new SetNumVfsAction(pf, originalVfs)));
        }

        if (record.AutoprobeChangedByAgent && record.OriginalAutoprobe is bool originalAutoprobe && snapshot.DriversAutoprobe != originalAutoprobe)
        {
            plan.Add(new PlannedWrite(new SetAutoprobeAction(pf, originalAutoprobe)));
        }
    }

    private void ForgetReleased(PciAddress pf, List<VfJournalEntry> released, bool wholePf)
    {
        if (wholePf)
        {
            _context.Journal.Delete(pf);
            return;
        }

        _context.UpdateJournal(pf, r => released.Aggregate(r, (current, entry) => current.WithoutVf(entry.Scid)));
    }
}

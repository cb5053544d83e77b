using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 6 (destination): verify the state's size and SHA-256 and that the destination supports its format
/// version (CNS 0x20) BEFORE any command, then suspend the target if it is running (Set Controller State needs a
/// suspended controller, reference §4a) and write the state with Set Controller State in chunks. A state already
/// restored (same digest recorded) is not written again. A VF that runs a controller an earlier migration moved in is
/// refused before any command (<see cref="OccupiedVfGuard"/>). <see cref="ResumeStep"/> follows.
/// </summary>
public sealed class RestoreStateStep
{
    public const string Name = "restore-state";

    private readonly StepContext _context;

    public RestoreStateStep(StepContext context)
    {
        _context = context;
    }

    public StepResult Run(PciAddress pf, int scid, byte[] state, string? expectedSha256, string source)
    {
        _context.Policy.EnsureSelected(pf);
        ushort id = SecondaryLock.ValidateScid(scid);
        ControllerStateBlob blob = ControllerStateBlob.Verify(state, expectedSha256, source);
        VfJournalEntry entry = MigrationPreconditions.Require(_context, pf, id, Name);
        OccupiedVfGuard.Require(entry, pf, id, Name);
        var client = _context.Primary(pf);
        var formats = client.SupportedControllerStateFormats();
        ushort version = blob.Header.Version;
        if (!formats.Versions.Contains(version))
        {
            throw new HardwareRefusedException(RefusalReason.StateMismatch,
                $"PF {pf} ({client.DevicePath}) does not support controller state format version {version} (supported: {string.Join(", ", formats.Versions)})");
        }

        var notes = new List<string>();
        var performed = new List<HostAction>();
        if (entry.RestoredStateSha256 == blob.Sha256 && entry.Progress >= VfProgress.StateRestored)
        {
            notes.Add($"state {blob.Sha256} already restored to SCID {scid}");
            return new StepResult(Name, pf, _context.DryRun, performed, notes);
        }

        SuspendIfRunning(pf, id, client, performed);
        _context.Execute(Name, NvmeActions.SetControllerState(pf, client.DevicePath, id, blob.Data), performed,
            onDone: r => r.WithVf(id, v => v with { RestoredStateSha256 = blob.Sha256, Progress = VfProgress.StateRestored }));
        notes.Add($"{blob.Length} bytes, sha256 {blob.Sha256}");
        return new StepResult(Name, pf, _context.DryRun, performed, notes);
    }

    /// <summary>
    /// The half of the restore that needs no state, for an armed destination while the source still runs (DESIGN §4.1:
    /// everything that can happen before Suspend happens before it): the same checks as <see cref="Run"/> — lock, HMLMS,
    /// no controller moved in earlier — plus the VF must be a resume target already bound to its VFIO driver (a bind may
    /// reset the function, which would undo the suspend; a migration source is never touched here), then Suspend unless
    /// it is suspended already (a repeat sends nothing).
    /// <see cref="Run"/> later finds it suspended and goes straight to Set Controller State. A rollback hands the VF
    /// back by reset, as for any suspended VF (the agent's SecondaryHandBack).
    /// </summary>
    public StepResult SuspendTarget(PciAddress pf, int scid)
    {
        _context.Policy.EnsureSelected(pf);
        ushort id = SecondaryLock.ValidateScid(scid);
        VfJournalEntry entry = MigrationPreconditions.Require(_context, pf, id, Name);
        OccupiedVfGuard.Require(entry, pf, id, Name);
        if (entry.Role != VfRole.ResumeTarget || entry.Progress is not (VfProgress.Bound or VfProgress.Suspended))
        {
            throw new HardwareRefusedException(RefusalReason.WrongState,
                $"secondary controller SCID {scid} of PF {pf} is {entry.Role} at {entry.Progress}; only a resume target bound to its VFIO driver is suspended ahead of its state");
        }

        var performed = new List<HostAction>();
        SuspendIfRunning(pf, id, _context.Primary(pf), performed);
        return new StepResult(Name, pf, _context.DryRun, performed, performed.Count == 0 ? [$"secondary controller SCID {scid} is already suspended"] : []);
    }

    /// <summary>Set Controller State needs a suspended controller (reference §4a).</summary>
    private void SuspendIfRunning(PciAddress pf, ushort id, Nvme.NvmeAdminClient client, List<HostAction> performed)
    {
        if (!SuspendProbe.IsSuspended(client, id))
        {
            _context.Execute(Name, NvmeActions.Suspend(pf, client.DevicePath, id), performed,
                onDone: r => r.WithVf(id, v => v with { Progress = VfProgress.Suspended }));
        }
    }
}

using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 6 (source): Migration Receive Get Controller State, chunked by offset (reference §4a), from a
/// suspended secondary. Returns the bytes and their SHA-256, and records the digest in the journal.
/// It reads only; the controller must already be suspended (<see cref="SuspendStep"/>).
/// </summary>
public sealed class SaveStateStep
{
    public const string Name = "save-state";

    private readonly StepContext _context;

    public SaveStateStep(StepContext context)
    {
        _context = context;
    }

    public SaveStateResult Run(PciAddress pf, int scid)
    {
        _context.Policy.EnsureSelected(pf);
        ushort id = SecondaryLock.ValidateScid(scid);
        MigrationPreconditions.Require(_context, pf, id, Name);
        NvmeAdminClient client = _context.Primary(pf);
        if (!_context.DryRun && !SuspendProbe.IsSuspended(client, id))
        {
            throw new HardwareRefusedException(RefusalReason.WrongState,
                $"secondary controller SCID {scid} of PF {pf} is not suspended; suspend it before reading its state");
        }

        ControllerStateRead? read = null;
        var performed = new List<HostAction>();
        _context.Execute(Name, NvmeActions.GetControllerState(pf, client.DevicePath, id, r => read = r), performed);
        if (read is null)
        {
            return new SaveStateResult(pf, true, performed, [], scid, null);
        }

        ControllerStateBlob blob = ControllerStateBlob.Verify(read.Data, null, $"read from SCID {scid} of PF {pf}");
        _context.UpdateJournal(pf, r => r.WithVf(id, v => v with { SavedStateSha256 = blob.Sha256, Progress = VfProgress.StateSaved }));
        return new SaveStateResult(pf, false, performed, [$"{blob.Length} bytes, sha256 {blob.Sha256}"], scid, blob);
    }
}

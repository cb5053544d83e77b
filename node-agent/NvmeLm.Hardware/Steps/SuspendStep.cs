using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 6 (source), first half: Migration Send Suspend (SEL 0, STYPE 1) for the secondary, on the primary's
/// admin queue (reference §4a). Requires the secondary to be allowed for the caller; a suspended controller is left alone.
/// </summary>
public sealed class SuspendStep
{
    public const string Name = "suspend";

    private readonly StepContext _context;

    public SuspendStep(StepContext context)
    {
        _context = context;
    }

    public StepResult Run(PciAddress pf, int scid)
    {
        _context.Policy.EnsureSelected(pf);
        ushort id = SecondaryLock.ValidateScid(scid);
        MigrationPreconditions.Require(_context, pf, id, Name);
        var client = _context.Primary(pf);
        var notes = new List<string>();
        var performed = new List<HostAction>();
        if (SuspendProbe.IsSuspended(client, id))
        {
            notes.Add($"secondary controller SCID {scid} is already suspended");
        }
        else
        {
            _context.Execute(Name, NvmeActions.Suspend(pf, client.DevicePath, id), performed,
                onDone: r => r.WithVf(id, v => v with { Progress = VfProgress.Suspended }));
        }

        return new StepResult(Name, pf, _context.DryRun, performed, notes);
    }
}

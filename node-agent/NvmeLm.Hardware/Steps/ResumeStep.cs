using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 6, last action on either side: Migration Send Resume (SEL 1) (reference §4a). On the destination it
/// follows Set Controller State; on the source it is the rollback. A running controller is left alone. A resume target
/// that runs a controller an earlier migration moved in is refused (<see cref="OccupiedVfGuard"/>).
/// </summary>
public sealed class ResumeStep
{
    public const string Name = "resume";

    private readonly StepContext _context;

    public ResumeStep(StepContext context)
    {
        _context = context;
    }

    public StepResult Run(PciAddress pf, int scid)
    {
        _context.Policy.EnsureSelected(pf);
        ushort id = SecondaryLock.ValidateScid(scid);
        VfJournalEntry entry = MigrationPreconditions.Require(_context, pf, id, Name);
        if (entry.Role == VfRole.ResumeTarget)
        {
            // A source resuming after a rollback runs its own VM's controller again; a resume target must not run one
            // over another VM's.
            OccupiedVfGuard.Require(entry, pf, id, Name);
        }

        var client = _context.Primary(pf);
        var notes = new List<string>();
        var performed = new List<HostAction>();
        if (!SuspendProbe.IsSuspended(client, id))
        {
            notes.Add($"secondary controller SCID {scid} is not suspended (running)");
        }
        else
        {
            _context.Execute(Name, NvmeActions.Resume(pf, client.DevicePath, id), performed,
                onDone: r => r.WithVf(id, v => v with { Progress = VfProgress.Resumed }));
        }

        return new StepResult(Name, pf, _context.DryRun, performed, notes);
    }
}

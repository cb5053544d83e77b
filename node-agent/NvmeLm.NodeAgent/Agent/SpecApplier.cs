using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using StepResult = NvmeLm.Hardware.Steps.StepResult;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Applies the validated spec of each PF to the hardware through the hardware layer's idempotent steps, in seed
/// order (DESIGN §4): hand back secondaries whose migration let go of them, enable SR-IOV with resources and online,
/// lock secondaries to their migration (allow-migrate / allow-resume), bind drivers. Every step re-reads the hardware,
/// so an unchanged spec on unchanged hardware performs no write, and a write on an already applied spec is drift
/// being corrected. Only PFs the spec lists are ever touched: they form the <see cref="SafetyPolicy"/> of every step.
/// </summary>
public sealed class SpecApplier
{
    private readonly HostHardware _hardware;
    private readonly HostJournal _journal;
    private readonly string _identity;
    private readonly ILogger _logger;

    public SpecApplier(HostHardware hardware, HostJournal journal, string identity, ILogger logger)
    {
        _hardware = hardware;
        _journal = journal;
        _identity = identity;
        _logger = logger;
    }

    /// <summary>A step context for <paramref name="owner"/> that may touch exactly the PFs of <paramref name="selected"/>.</summary>
    public StepContext Context(IEnumerable<DesiredPf> selected, string owner) =>
        new(_hardware, _journal, new SafetyPolicy(selected.Select(p => p.Pf)), owner, dryRun: false, _logger);

    /// <summary>
    /// Applies the PFs of <paramref name="only"/>; every PF of <paramref name="desired"/> still forms the safety policy.
    /// Returns a result for each PF applied.
    /// </summary>
    public IReadOnlyList<PfApplyResult> Apply(IReadOnlyList<DesiredPf> desired, IReadOnlySet<PciAddress> only)
    {
        var results = new List<PfApplyResult>(only.Count);
        foreach (DesiredPf pf in desired.Where(d => only.Contains(d.Pf)))
        {
            var writes = new List<string>();
            string? error = null;
            try
            {
                ApplyPf(desired, pf, writes);
            }
            catch (NvmeLmException ex)
            {
                // Steps refuse before their first write; a failed write is journalled by the step. Either way the
                // error is reported per PF and the other PFs are still applied.
                error = $"PF {pf.Pf}: {ex.Message}";
                AgentLog.ApplyFailed(_logger, pf.Pf.ToString(), ex.Message);
            }

            results.Add(new PfApplyResult(pf.Pf, writes, error));
        }

        return results;
    }

    private void ApplyPf(IReadOnlyList<DesiredPf> selected, DesiredPf pf, List<string> writes)
    {
        using StepContext agent = Context(selected, _identity);
        if (pf.NumVfs == 0)
        {
            // numVfs 0: every hold ends, then undo what the journal says the agent did to this PF (nothing when it
            // never touched it).
            if (_journal.Read(pf.Pf) is not null)
            {
                HandBackReleased(selected, pf, new ListSecondariesStep(agent).Run(pf.Pf), writes);
            }

            Record(writes, new ReleaseStep(agent).Run(pf.Pf));
            return;
        }

        SecondaryListResult before = new ListSecondariesStep(agent).Run(pf.Pf);
        HandBackReleased(selected, pf, before, writes);
        Record(writes, new EnableSriovStep(agent).Run(new EnableSriovRequest(pf.Pf, pf.NumVfs, pf.QueuesPerVf, pf.InterruptsPerVf)));
        SecondaryListResult list = new ListSecondariesStep(agent).Run(pf.Pf);
        foreach (SecondaryMapping secondary in list.Secondaries.Where(s => s.Vfn >= 1 && s.Vfn <= pf.NumVfs))
        {
            DesiredSecondary? wanted = pf.Secondary(secondary.Vfn);
            if (wanted is { Role: not SecondaryRole.Pool, OwnerUid: string owner })
            {
                using StepContext holder = Context(selected, owner);
                StepResult allowed = wanted.Role == SecondaryRole.MigrationSource
                    ? new AllowMigrateStep(holder).Run(pf.Pf, secondary.Scid)
                    : new AllowResumeStep(holder).Run(pf.Pf, secondary.Scid);
                Record(writes, allowed);
            }

            if (wanted?.Driver is string driver)
            {
                Record(writes, new BindVfioStep(agent).Run(pf.Pf, secondary.Scid, driver, list));
            }
        }
    }

    /// <summary>Secondaries locked in the journal to an owner the spec no longer names for them go back to the pool first.</summary>
    private void HandBackReleased(IReadOnlyList<DesiredPf> selected, DesiredPf pf, SecondaryListResult list, List<string> writes)
    {
        PfJournalRecord? record = _journal.Read(pf.Pf);
        foreach (VfJournalEntry entry in record?.Vfs ?? [])
        {
            if (entry.Owner is not string owner)
            {
                continue;
            }

            DesiredSecondary? wanted = list.Find(entry.Scid) is SecondaryMapping m ? pf.Secondary(m.Vfn) : null;
            bool stillHeld = wanted is not null && wanted.OwnerUid == owner && RoleOf(wanted.Role) == entry.Role;
            if (stillHeld)
            {
                continue;
            }

            using StepContext holder = Context(selected, owner);
            SecondaryHandBack.Outcome outcome = SecondaryHandBack.Run(holder, pf.Pf, entry.Scid);
            if (outcome == SecondaryHandBack.Outcome.Reset)
            {
                writes.Add($"reset SCID {entry.Scid} released by {owner} (it held a suspended or foreign controller state)");
            }

            AgentLog.HandedBack(_logger, pf.Pf.ToString(), entry.Scid, owner, outcome.ToString());
        }
    }

    public static VfRole RoleOf(SecondaryRole role) => role switch
    {
        SecondaryRole.MigrationSource => VfRole.MigrationSource,
        SecondaryRole.ResumeTarget => VfRole.ResumeTarget,
        _ => VfRole.None,
    };

    private static void Record(List<string> writes, StepResult result)
    {
        if (result.Changed)
        {
            writes.AddRange(result.Actions
                .Where(a => a is not NvmeAdminAction { ChangesHost: false })
                .Select(a => $"{result.Step}: {a.Describe()}"));
        }
    }
}

using NvmeLm.Hardware;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Returns a secondary controller that a migration held (allow-migrate / allow-resume) to the pool. What that
/// takes depends on what the migration did to it, per the journal:
/// <list type="bullet">
/// <item>the controller was resumed, or never suspended (the migration finished on this side, or rolled back to
/// running): only the lock is dropped; the VF keeps running for its VM;</item>
/// <item>the controller is still suspended or holds a foreign state (a source whose state moved away, a destination
/// whose migration was rolled back): it is reset through <see cref="ReleaseStep"/> (unbind, offline, resources
/// returned), and the next apply re-provisions it as a clean pool VF.</item>
/// </list>
/// Both paths act only for the lock's owner, so a hand-back can never reset another migration's VF.
/// </summary>
public static class SecondaryHandBack
{
    /// <summary>What <see cref="Run"/> did.</summary>
    public enum Outcome
    {
        /// <summary>No lock for that owner: nothing to do.</summary>
        NotHeld,

        /// <summary>The lock was dropped; the hardware is unchanged.</summary>
        Unlocked,

        /// <summary>The controller was reset (and its journal entry removed) for re-provisioning.</summary>
        Reset,
    }

    public static Outcome Run(StepContext context, PciAddress pf, int scid)
    {
        VfJournalEntry? entry = context.Journal.Read(pf)?.FindVf(scid);
        if (entry?.Owner is null || entry.Owner != context.Owner)
        {
            return Outcome.NotHeld;
        }

        if (HoldsFrozenState(entry.Progress))
        {
            new ReleaseStep(context).Run(pf, scid);
            return Outcome.Reset;
        }

        // Journal-only: allow-migrate/allow-resume are the agent's own reservation, not a host write (SecondaryLock).
        // A destination that resumed keeps running the controller it restored: remembered, so no later migration's
        // RestoreState or Resume can land on it (OccupiedVfGuard).
        context.UpdateJournal(pf, r => r.WithVf(scid, v => v with
        {
            Owner = null,
            Role = VfRole.None,
            Progress = v.Progress > VfProgress.Bound ? VfProgress.Bound : v.Progress,
            SavedStateSha256 = null,
            RestoredStateSha256 = null,
            HostedStateSha256 = v.Role == VfRole.ResumeTarget && v.Progress == VfProgress.Resumed && v.RestoredStateSha256 is { } hosted
                ? hosted : v.HostedStateSha256,
        }));
        return Outcome.Unlocked;
    }

    /// <summary>Suspended, state read out, or a foreign state written: the controller cannot simply go back to a pod.</summary>
    public static bool HoldsFrozenState(VfProgress progress) =>
        progress is VfProgress.Suspended or VfProgress.StateSaved or VfProgress.StateRestored;
}

using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// The last line against restoring over a VM (DESIGN §4.1): a RestoreState, or a Resume of a resume target, is refused
/// before its first command when the VF runs a controller that an earlier migration restored and resumed here
/// (<see cref="VfJournalEntry.HostedStateSha256"/>). Writing a state over it would replace one VM's controller with
/// another's, and resuming would run a controller twice. The operator's picker should never choose such a VF; this
/// makes it a hard rule on the node even when the picker errs (as it once did for a migration still Completing).
/// </summary>
internal static class OccupiedVfGuard
{
    public static void Require(VfJournalEntry entry, PciAddress pf, ushort scid, string step)
    {
        if (entry.HostedStateSha256 is { } hosted)
        {
            throw new HardwareRefusedException(RefusalReason.InUseByVmm,
                $"cannot {step} secondary controller SCID {scid} of PF {pf}: it runs a controller an earlier migration moved in "
                + $"(state sha256 {hosted}) and has not been reset since; nothing was written");
        }
    }
}

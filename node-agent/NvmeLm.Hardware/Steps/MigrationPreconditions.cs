using NvmeLm.Hardware.Journal;

namespace NvmeLm.Hardware.Steps;

/// <summary>What suspend, save, restore and resume need before any command: the PF exists, its primary has HMLMS, and the secondary is locked to the caller.</summary>
internal static class MigrationPreconditions
{
    public static VfJournalEntry Require(StepContext context, PciAddress pf, ushort scid, string step)
    {
        _ = PfReader.Read(context.Sysfs, pf);
        VfJournalEntry entry = SecondaryLock.RequireLocked(context, pf, scid, step);
        string device = context.PrimaryDevicePath(pf);
        Capabilities.RequireHostManagedLiveMigration(pf, device, context.Primary(pf).IdentifyController(), $"cannot {step} secondary controller SCID {scid}");
        return entry;
    }
}

using NvmeLm.Hardware.Journal;

namespace NvmeLm.Hardware.Steps;

/// <summary>Seed step 3, source side: record the secondary as a migration source, locked to the owner (see <see cref="SecondaryLock"/>).</summary>
public sealed class AllowMigrateStep
{
    public const string Name = "allow-migrate";

    private readonly StepContext _context;

    public AllowMigrateStep(StepContext context)
    {
        _context = context;
    }

    /// <param name="plannedOnline">Dry run only: an earlier planned step sets the secondary online, so do not refuse it for being offline now.</param>
    public StepResult Run(PciAddress pf, int scid, bool plannedOnline = false) =>
        SecondaryLock.Allow(_context, Name, pf, scid, VfRole.MigrationSource, "migrate", plannedOnline);

    /// <summary>The read-only capability pre-flight (OACS bit 11), so a flow can refuse before its first write.</summary>
    public void CheckCapability(PciAddress pf) =>
        Capabilities.RequireHostManagedLiveMigration(pf, _context.PrimaryDevicePath(pf), _context.Primary(pf).IdentifyController(),
            "its secondary controllers cannot be allowed to migrate");
}

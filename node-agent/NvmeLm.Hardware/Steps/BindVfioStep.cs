using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps.Actions;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 4 (reference §1, the dpdk-devbind sequence): unbind the current driver, write
/// <c>driver_override</c>, bind the VFIO driver, clear the override, then verify <c>/dev/vfio/&lt;group&gt;</c>. With a variant
/// driver it probes VFIO_DEVICE_FEATURE_MIGRATION (reference §5) and reports the flags; plain
/// <c>vfio-pci</c> has no migration feature. Idempotent: a VF already bound to the driver is left alone.
/// </summary>
public sealed class BindVfioStep
{
    public const string Name = "bind-vfio";
    public const string DefaultDriver = "vfio-pci";
    public const string NoMigrationSupport = "no VFIO migration support";

    private readonly StepContext _context;

    public BindVfioStep(StepContext context)
    {
        _context = context;
    }

    public BindVfioResult Run(PciAddress pf, int scid, string driver = DefaultDriver) => Run(pf, scid, driver, listed: null);

    /// <summary>
    /// As <see cref="Run(PciAddress, int, string)"/>, with the PF's secondaries as the caller listed them after its last
    /// write to the PF (binding one VF changes nothing another VF's mapping says), so binding N VFs reads the PF once
    /// instead of N times.
    /// </summary>
    public BindVfioResult Run(PciAddress pf, int scid, string driver, SecondaryListResult? listed)
    {
        if (listed is not null && listed.Pf != pf)
        {
            throw new ArgumentException($"the list is of PF {listed.Pf}, not {pf}", nameof(listed));
        }

        ValidateDriver(driver);
        _context.Policy.EnsureSelected(pf);
        ushort id = SecondaryLock.ValidateScid(scid);
        SecondaryListResult list = listed ?? new ListSecondariesStep(_context).Run(pf);
        SecondaryMapping secondary = list.Find(id)
            ?? throw new HardwareRefusedException(RefusalReason.InvalidInput, $"PF {pf} has no secondary controller SCID {scid} associated with a VF");
        if (!secondary.VfEnabled && !_context.DryRun)
        {
            throw new HardwareRefusedException(RefusalReason.WrongState,
                $"VF {secondary.VfAddress} of SCID {scid} (PF {pf}) does not exist (sriov_numvfs too low); enable SR-IOV first");
        }

        var notes = new List<string>();
        if (!secondary.VfEnabled)
        {
            notes.Add($"VF {secondary.VfAddress} does not exist yet; planned as it will appear (no driver, autoprobe off)");
        }

        var plan = new List<HostAction>();
        if (secondary.Driver != driver)
        {
            plan.Add(new BindDriverAction(pf, secondary.VfAddress, driver, secondary.Driver));
        }

        if (plan.Count > 0 && secondary.VfEnabled)
        {
            _context.Guard.EnsureVfMayBeReconfigured(_context.Policy, pf, secondary.ToVirtualFunction());
        }

        string? originalDriver = secondary.Driver;
        string? originalOverride = secondary.DriverOverride;
        Func<PfJournalRecord, PfJournalRecord> intent = r => r.WithVf(id, v => v.DriverChangedByAgent
            ? v
            : v with { Vfn = secondary.Vfn, Address = secondary.VfAddress.ToString(), OriginalDriver = originalDriver, OriginalDriverOverride = originalOverride, DriverChangedByAgent = true });
        Func<PfJournalRecord, PfJournalRecord> done = r => r.WithVf(id, v => v with { BoundDriver = driver });
        var performed = new List<HostAction>();
        _context.ExecuteAll(Name, [.. plan.Select(action => new PlannedWrite(action, intent, done))], performed);

        if (_context.DryRun)
        {
            return new BindVfioResult(pf, true, performed, notes, scid, secondary.VfAddress, driver, secondary.IommuGroup, null, null,
                driver == DefaultDriver ? NoMigrationSupport : "not probed in a dry run");
        }

        int group = _context.Sysfs.ReadIommuGroup(secondary.VfAddress)
            ?? throw new HardwareRefusedException(RefusalReason.WrongState, $"VF {secondary.VfAddress} has no IOMMU group; VFIO needs an IOMMU (or no-IOMMU mode)");
        string groupPath = SysfsPaths.VfioGroupDevice(group);
        if (!_context.Sysfs.VfioGroupDeviceExists(group))
        {
            throw new HardwareRefusedException(RefusalReason.WrongState,
                $"VF {secondary.VfAddress} is bound to {driver} but {groupPath} does not exist; is {driver} a VFIO driver?");
        }

        _context.UpdateJournal(pf, r => r.WithVf(id, v => v with { Progress = v.Progress > VfProgress.Bound ? v.Progress : VfProgress.Bound }));
        if (plan.Count == 0)
        {
            notes.Add($"VF {secondary.VfAddress} already bound to {driver}");
        }

        if (driver == DefaultDriver)
        {
            return new BindVfioResult(pf, false, performed, notes, scid, secondary.VfAddress, driver, group, groupPath, null, NoMigrationSupport);
        }

        VfioMigrationFlags flags = _context.Hardware.Vfio.ProbeMigration(secondary.VfAddress, group);
        string support = flags == VfioMigrationFlags.None ? NoMigrationSupport : "VFIO migration: " + flags;
        return new BindVfioResult(pf, false, performed, notes, scid, secondary.VfAddress, driver, group, groupPath, flags, support);
    }

    /// <summary>A driver name becomes part of a sysfs path: only kernel module-name characters are accepted.</summary>
    public static void ValidateDriver(string driver)
    {
        if (!DriverName.IsValid(driver))
        {
            throw new HardwareRefusedException(RefusalReason.InvalidInput, $"'{driver}' is not a PCI driver name (letters, digits, '_', '-' and '.')");
        }
    }
}

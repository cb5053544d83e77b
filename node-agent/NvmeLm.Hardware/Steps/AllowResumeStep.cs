using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 3, destination side: record the secondary as a resume target, locked to the owner. When the
/// source's controller-state format version is known it must be among the destination's supported formats
/// (Identify CNS 0x20, reference §4b), checked before anything is recorded.
/// </summary>
public sealed class AllowResumeStep
{
    public const string Name = "allow-resume";

    private readonly StepContext _context;

    public AllowResumeStep(StepContext context)
    {
        _context = context;
    }

    /// <summary>The read-only capability pre-flight (OACS bit 11), so a flow can refuse before its first write.</summary>
    public void CheckCapability(PciAddress pf) =>
        Capabilities.RequireHostManagedLiveMigration(pf, _context.PrimaryDevicePath(pf), _context.Primary(pf).IdentifyController(),
            "its secondary controllers cannot be reserved to resume a migrated controller");

    public StepResult Run(PciAddress pf, int scid, ushort? stateFormatVersion = null, bool plannedOnline = false) =>
        SecondaryLock.Allow(_context, Name, pf, scid, VfRole.ResumeTarget, "resume a migrated controller", plannedOnline, client =>
        {
            if (stateFormatVersion is ushort version)
            {
                var formats = client.SupportedControllerStateFormats();
                if (!formats.Versions.Contains(version))
                {
                    throw new HardwareRefusedException(RefusalReason.StateMismatch,
                        $"PF {pf} ({client.DevicePath}) does not support controller state format version {version} (supported: {string.Join(", ", formats.Versions)}); SCID {scid} cannot resume that state");
                }
            }
        });
}

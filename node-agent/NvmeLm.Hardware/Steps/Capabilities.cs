using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>Capability checks on a PF's primary controller, refused with the controller and the missing bit named.</summary>
public static class Capabilities
{
    /// <summary>OACS bit 7 (VMS): Virtualization Management, needed to assign resources and online secondaries (reference §3).</summary>
    public static void RequireVirtualizationManagement(PciAddress pf, string device, IdentifyController primary)
    {
        if (!primary.SupportsVirtualizationManagement)
        {
            throw new HardwareRefusedException(RefusalReason.MissingCapability,
                $"primary controller CNTLID {primary.ControllerId} of PF {pf} ({device}) does not support Virtualization Management (OACS bit 7 VMS clear, OACS=0x{primary.Oacs:x4}); its secondaries cannot be configured");
        }
    }

    /// <summary>OACS bit 11 (HMLMS): Host Managed Live Migration, needed for suspend / controller state / resume (reference §4a).</summary>
    public static void RequireHostManagedLiveMigration(PciAddress pf, string device, IdentifyController primary, string purpose)
    {
        if (!primary.SupportsHostManagedLiveMigration)
        {
            throw new HardwareRefusedException(RefusalReason.MissingCapability,
                $"primary controller CNTLID {primary.ControllerId} of PF {pf} ({device}) does not support Host Managed Live Migration (OACS bit 11 HMLMS clear, OACS=0x{primary.Oacs:x4}); {purpose}");
        }
    }
}

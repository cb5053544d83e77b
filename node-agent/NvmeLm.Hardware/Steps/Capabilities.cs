using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>Capability checks on a PF's primary controller, refused with the controller and the missing bit named.</summary>
public static class Capabilities
{
    /// <summary>
    /// Virtualization Management, needed to assign resources and online secondaries (reference §3): OACS bit 7, or
    /// Identify CNS 0x14 when bit 7 is clear (<see cref="VirtualizationSupport"/>). Returns the primary's capabilities.
    /// </summary>
    public static PrimaryControllerCapabilities RequireVirtualizationManagement(PciAddress pf, string device, NvmeAdminClient client, IdentifyController primary) =>
        VirtualizationSupport.Detect(client, primary).Require(pf, device, primary.ControllerId);

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

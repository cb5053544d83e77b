using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Whether a PF's primary controller supports Virtualization Management (reference nvme-linux-kubevirt-facts §3), the one
/// detection shared by the steps and the inventories. OACS bit 7 (VMS) is the advertised capability, but QEMU before 10.0
/// ("hw/nvme: make oacs dynamic") leaves it clear while implementing Identify CNS 0x14/0x15 and Virtualization
/// Management (Debian 12's QEMU 7.2 reports OACS 0x010a). So with bit 7 clear, a successful CNS 0x14 whose CRT reports
/// VQ or VI resources counts as support too; a CNS 0x14 that the controller rejects with an NVMe status means none.
/// </summary>
public sealed record VirtualizationSupport(
    VirtualizationDetection DetectedVia,
    ushort Oacs,
    PrimaryControllerCapabilities? Capabilities,
    string? ProbeFailure)
{
    public bool Supported => DetectedVia != VirtualizationDetection.None;

    /// <summary>
    /// Reads Identify CNS 0x14 and decides. With OACS bit 7 set a CNS 0x14 failure propagates (the controller contradicts
    /// itself); with bit 7 clear an NVMe status from CNS 0x14 means "unsupported". Transport errors always propagate.
    /// </summary>
    public static VirtualizationSupport Detect(NvmeAdminClient client, IdentifyController primary)
    {
        if (primary.SupportsVirtualizationManagement)
        {
            return new(VirtualizationDetection.Oacs, primary.Oacs, client.PrimaryControllerCapabilities(), null);
        }

        PrimaryControllerCapabilities caps;
        try
        {
            caps = client.PrimaryControllerCapabilities();
        }
        catch (NvmeCommandException ex)
        {
            return new(VirtualizationDetection.None, primary.Oacs, null, $"Identify CNS 0x14 failed with status {ex.Status}");
        }

        return caps.SupportsVqResources || caps.SupportsViResources
            ? new(VirtualizationDetection.PrimaryCapabilities, primary.Oacs, caps, null)
            : new(VirtualizationDetection.None, primary.Oacs, caps, $"Identify CNS 0x14 reports no VQ or VI resources (CRT 0x{caps.ControllerResourceTypes:x2})");
    }

    /// <summary>One line for inventories: how support was (or was not) detected.</summary>
    public string Describe() => DetectedVia switch
    {
        VirtualizationDetection.Oacs => $"Virtualization Management advertised by OACS bit 7 (OACS=0x{Oacs:x4})",
        VirtualizationDetection.PrimaryCapabilities =>
            $"OACS bit 7 clear (OACS=0x{Oacs:x4}); Virtualization Management detected via Identify CNS 0x14 (QEMU < 10.0 does not set OACS.VMS)",
        _ => $"no Virtualization Management: OACS bit 7 VMS clear (OACS=0x{Oacs:x4}) and {ProbeFailure}; no secondary controllers",
    };

    /// <summary>The capabilities, or a refusal naming the controller, OACS and why CNS 0x14 did not count.</summary>
    public PrimaryControllerCapabilities Require(PciAddress pf, string device, ushort controllerId)
    {
        if (Capabilities is { } caps && Supported)
        {
            return caps;
        }

        throw new HardwareRefusedException(RefusalReason.MissingCapability,
            $"primary controller CNTLID {controllerId} of PF {pf} ({device}) does not support Virtualization Management (OACS bit 7 VMS clear, OACS=0x{Oacs:x4}, and {ProbeFailure}); its secondaries cannot be configured");
    }
}

namespace NvmeLm.Hardware.Steps;

/// <summary>How <see cref="VirtualizationSupport"/> decided whether a primary supports Virtualization Management.</summary>
public enum VirtualizationDetection
{
    /// <summary>Not supported: OACS bit 7 clear and Identify CNS 0x14 failed or reports no VQ/VI resources.</summary>
    None,

    /// <summary>Identify Controller OACS bit 7 (VMS) is set.</summary>
    Oacs,

    /// <summary>OACS bit 7 clear, but Identify CNS 0x14 succeeds with CRT VQ or VI support (QEMU before 10.0).</summary>
    PrimaryCapabilities,
}

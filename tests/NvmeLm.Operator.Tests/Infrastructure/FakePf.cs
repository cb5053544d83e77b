namespace NvmeLm.Operator.Tests.Infrastructure;

/// <summary>One NVMe PF of a fake node: its identity and capabilities as the agent would read them.</summary>
public sealed record FakePf(
    string Address,
    bool HostManagedLiveMigration = true,
    bool VirtualizationManagement = true,
    string VendorId = "0x1b36",
    string DeviceId = "0x0010",
    string Model = "QEMU NVMe Ctrl",
    string Serial = "deadbeef",
    int TotalVfs = 7,
    int[]? StateFormatVersions = null)
{
    /// <summary>VF n of the PF (tests keep n ≤ 7, so it is function n of the same device).</summary>
    public string VfAddress(int vfNumber) => Address[..^1] + vfNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

using System.Text.Json.Serialization;

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// One emulated NVMe physical function: its PCI identity, SR-IOV capability (reference §1), its primary
/// controller's virtualization resources (reference §3, CNS 0x14) and live-migration support (reference §4a).
/// Defaults mirror the QEMU lab device (reference qemu-nvme-sriov-lab.md: 1b36:0010, offset 1, stride 1).
/// </summary>
public sealed record EmulatedPfConfig
{
    /// <summary>PCI address <c>DDDD:BB:DD.F</c>.</summary>
    public string Address { get; set; } = "";

    [JsonConverter(typeof(EmulatedHexJsonConverter))]
    public int VendorId { get; set; } = 0x1b36;

    [JsonConverter(typeof(EmulatedHexJsonConverter))]
    public int DeviceId { get; set; } = 0x0010;

    /// <summary>PCI class code, 24 bits; NVMe is 0x010802.</summary>
    [JsonConverter(typeof(EmulatedHexJsonConverter))]
    public int ClassCode { get; set; } = EmulatedPciFunction.NvmeClassCode;

    public string Model { get; set; } = "Emulated NVMe Ctrl";
    public string Serial { get; set; } = "EMU0000";
    public string Firmware { get; set; } = "1.0";

    /// <summary>The <c>/dev/nvmeN</c> instance number of this PF while it is bound to <c>nvme</c>.</summary>
    public int NvmeInstance { get; set; }

    /// <summary>Driver bound at start-up; null or empty = no driver (then <c>sriov_numvfs</c> gives ENOENT).</summary>
    public string? Driver { get; set; } = "nvme";

    /// <summary>IOMMU group of the PF; null = allocated (lowest free number).</summary>
    public int? IommuGroup { get; set; }

    /// <summary>NVMe namespaces attached to the primary (<c>/dev/nvmeNnM</c>).</summary>
    public IReadOnlyList<int> Namespaces { get; set; } = [1];

    // ---- SR-IOV capability (reference §1) ----
    public int TotalVfs { get; set; }
    public int VfOffset { get; set; } = 1;
    public int VfStride { get; set; } = 1;

    [JsonConverter(typeof(EmulatedHexJsonConverter))]
    public int VfDeviceId { get; set; } = 0x0010;

    // ---- Primary controller (reference §3, §6) ----
    public int PrimaryControllerId { get; set; }

    /// <summary>
    /// Whether Identify Controller sets OACS bit 7 (VMS) when the PF has SR-IOV. false = QEMU before 10.0, which
    /// answers CNS 0x14/0x15 and Virtualization Management but leaves the bit clear (reference §3).
    /// </summary>
    public bool OacsVirtualizationManagementBit { get; set; } = true;
    public int VqFlexibleTotal { get; set; }
    public int ViFlexibleTotal { get; set; }
    public int PrimaryPrivateVq { get; set; } = 2;
    public int PrimaryPrivateVi { get; set; } = 2;

    /// <summary>VQFRSM; 0 = QEMU's default, flexible total / total VFs.</summary>
    public int MaxVqPerSecondary { get; set; }

    /// <summary>VIFRSM; 0 = QEMU's default, flexible total / total VFs.</summary>
    public int MaxViPerSecondary { get; set; }

    // ---- Live migration, TP4159 (reference §4a) ----
    /// <summary>OACS bit 11 (HMLMS) and the Migration Send/Receive commands.</summary>
    public bool LiveMigration { get; set; }

    /// <summary>Controller-state format versions reported by Identify CNS 0x20.</summary>
    public IReadOnlyList<int> StateFormatVersions { get; set; } = [0];

    /// <summary>Size in bytes of a Get Controller State blob (rounded up to dwords; at least the minimal blob).</summary>
    public int ControllerStateSize { get; set; } = 4096;

    internal int EffectiveMaxVqPerSecondary => MaxVqPerSecondary > 0 ? MaxVqPerSecondary : (TotalVfs > 0 ? VqFlexibleTotal / TotalVfs : 0);

    internal int EffectiveMaxViPerSecondary => MaxViPerSecondary > 0 ? MaxViPerSecondary : (TotalVfs > 0 ? ViFlexibleTotal / TotalVfs : 0);
}

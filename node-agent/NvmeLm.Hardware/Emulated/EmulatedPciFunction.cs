namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// One PCI function on the emulated bus (a PF or a VF) and its driver-core state.
/// Mutated only under the owning <see cref="EmulatedHost"/>'s lock.
/// </summary>
public sealed class EmulatedPciFunction
{
    public const int NvmeClassCode = 0x010802;
    public const string NvmeDriver = "nvme";

    internal EmulatedPciFunction(PciAddress address, int vendorId, int deviceId, int classCode, EmulatedPhysicalFunction? parent, int vfIndex)
    {
        Address = address;
        VendorId = vendorId;
        DeviceId = deviceId;
        ClassCode = classCode;
        Parent = parent;
        VfIndex = vfIndex;
    }

    public PciAddress Address { get; }
    public int VendorId { get; }
    public int DeviceId { get; }
    public int ClassCode { get; }

    /// <summary>The PF of a VF; null for a PF.</summary>
    public EmulatedPhysicalFunction? Parent { get; }

    /// <summary>VF index i (the <c>virtfn&lt;i&gt;</c> link name); -1 for a PF.</summary>
    public int VfIndex { get; }

    public bool IsVirtualFunction => Parent is not null;

    /// <summary>Bound driver name, or null.</summary>
    public string? Driver { get; internal set; }

    /// <summary><c>driver_override</c>, or null when cleared (reads as <c>(null)</c>, like the kernel).</summary>
    public string? DriverOverride { get; internal set; }

    public int? IommuGroup { get; internal set; }

    /// <summary>The <c>/dev/nvmeN</c> instance while bound to <c>nvme</c>.</summary>
    public int? NvmeInstance { get; internal set; }

    /// <summary>The sysfs directory name of the host bridge this function sits under (<c>pciDDDD:BB</c> of its PF).</summary>
    internal string RootName => _rootName ??= RootNameOf(Parent?.Function.Address ?? Address);

    private string? _rootName;

    private static string RootNameOf(PciAddress pf) => $"pci{pf.Domain:x4}:{pf.Bus:x2}";
}

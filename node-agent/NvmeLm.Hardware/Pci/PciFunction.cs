namespace NvmeLm.Hardware.Pci;

/// <summary>Identity and binding of one PCI function as sysfs shows it (reference §1).</summary>
public sealed record PciFunction(
    PciAddress Address,
    ushort VendorId,
    ushort DeviceId,
    uint ClassCode,
    string? Driver,
    string? DriverOverride,
    int? IommuGroup);

namespace NvmeLm.Hardware.Steps;

/// <summary>An existing VF as sysfs shows it: <c>virtfn&lt;Index&gt;</c> of its PF, its driver, override and IOMMU group.</summary>
public sealed record VirtualFunction(int Index, PciAddress Address, string? Driver, string? DriverOverride, int? IommuGroup);

namespace NvmeLm.Hardware.Pci;

/// <summary>Outcome of <see cref="SriovSysfs.BindDriver"/>: the driver before, and whether anything was written.</summary>
public sealed record BindResult(PciAddress Address, string Driver, string? PreviousDriver, bool Changed, int? IommuGroup);

namespace NvmeLm.Hardware.Pci;

/// <summary>A PF's <c>virtfnN</c> link: VF index N (0-based) and the VF's PCI address.</summary>
public readonly record struct VirtualFunctionLink(int Index, PciAddress Address);

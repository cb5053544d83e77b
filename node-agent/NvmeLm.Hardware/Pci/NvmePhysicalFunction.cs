namespace NvmeLm.Hardware.Pci;

/// <summary>
/// An NVMe PF with SR-IOV: its PCI identity, SR-IOV state, enabled VFs, and the controller character
/// device of its primary controller (<c>/dev/nvmeN</c>, from sysfs <c>&lt;pf&gt;/nvme/nvmeN</c>), or null
/// when no driver has created one (e.g. unbound).
/// </summary>
public sealed record NvmePhysicalFunction(
    PciFunction Function,
    SriovState Sriov,
    IReadOnlyList<VirtualFunctionLink> VirtualFunctions,
    string? ControllerDevice);

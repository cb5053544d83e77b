using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>Reads a <see cref="PfSnapshot"/> through <see cref="SriovSysfs"/>; an address that is not an NVMe SR-IOV PF is refused by name.</summary>
public static class PfReader
{
    public static PfSnapshot Read(SriovSysfs sysfs, PciAddress pf)
    {
        if (!sysfs.Files.Exists(SysfsPaths.Device(pf))
            || !sysfs.Files.Exists(SysfsPaths.DeviceAttribute(pf, SysfsPaths.SriovTotalVfsFile))
            || sysfs.ReadFunction(pf).ClassCode != SysfsPaths.NvmeClassCode)
        {
            throw new HardwareRefusedException(RefusalReason.UnknownDevice,
                $"{pf} is not an NVMe SR-IOV physical function on this host (no PCI function with class 0x010802 and sriov_totalvfs there)");
        }

        NvmePhysicalFunction function = sysfs.ReadPhysicalFunction(pf);
        var vfs = new List<VirtualFunction>(function.VirtualFunctions.Count);
        foreach (VirtualFunctionLink link in function.VirtualFunctions)
        {
            vfs.Add(new VirtualFunction(link.Index, link.Address, sysfs.ReadDriver(link.Address), sysfs.ReadDriverOverride(link.Address), sysfs.ReadIommuGroup(link.Address)));
        }

        SriovState sriov = function.Sriov;
        return new PfSnapshot(pf, function.Function.Driver, function.ControllerDevice, sriov.TotalVfs, sriov.NumVfs, sriov.DriversAutoprobe, sriov.Offset, sriov.Stride, vfs);
    }
}

namespace NvmeLm.Hardware.Pci;

/// <summary>
/// Where VF <c>i</c> of a PF lives, from the SR-IOV capability (reference §1, iov.c <c>virtfn_bus</c>/<c>virtfn_devfn</c>):
/// routing ID = PF devfn + offset + stride·i, carried into the bus number past 255. Used to cross-check the
/// <c>virtfnN</c> links (and by the emulated host to place its VFs).
/// </summary>
public static class SriovRouting
{
    public static PciAddress VirtualFunctionAddress(PciAddress pf, int offset, int stride, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(stride);
        long devfn = pf.DevFn + offset + ((long)stride * index);
        long bus = pf.Bus + (devfn >> 8);
        if (bus > 0xff)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"VF {index} of {pf} (offset {offset}, stride {stride}) would be on bus 0x{bus:x}, past 0xff.");
        }

        int low = (int)(devfn & 0xff);
        return PciAddress.FromParts(pf.Domain, (int)bus, low >> 3, low & 7);
    }
}

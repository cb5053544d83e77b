namespace NvmeLm.Hardware.Steps;

/// <summary>
/// The SR-IOV state of one PF as sysfs reports it right now (reference §1). Steps read a fresh snapshot
/// before acting and decide from it, never from memory of an earlier run.
/// </summary>
public sealed record PfSnapshot(
    PciAddress Pf,
    string? Driver,
    string? NvmeDevice,
    int TotalVfs,
    int NumVfs,
    bool DriversAutoprobe,
    int VfOffset,
    int VfStride,
    IReadOnlyList<VirtualFunction> Vfs)
{
    public VirtualFunction? FindVf(int index) => Vfs.FirstOrDefault(v => v.Index == index);

    /// <summary>
    /// The address VF <paramref name="index"/> gets once enabled: routing ID = PF devfn + offset + stride·i, the
    /// bus advancing by the carry (kernel iov.c <c>virtfn_bus</c>/<c>virtfn_devfn</c>, reference §1).
    /// </summary>
    public PciAddress ExpectedVfAddress(int index)
    {
        int routing = Pf.DevFn + VfOffset + (VfStride * index);
        int bus = Pf.Bus + (routing >> 8);
        int devfn = routing & 0xff;
        return PciAddress.FromParts(Pf.Domain, bus, devfn >> 3, devfn & 0x7);
    }
}

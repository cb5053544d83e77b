namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// An emulated NVMe PF: its PCI function, SR-IOV state (reference §1) and primary controller with its
/// secondaries (reference §3, §6). Mutated only under the host's lock.
/// </summary>
public sealed class EmulatedPhysicalFunction
{
    private readonly List<EmulatedSecondaryController> _secondaries = [];

    internal EmulatedPhysicalFunction(EmulatedPfConfig config)
    {
        Config = config;
        Function = new EmulatedPciFunction(PciAddress.Parse(config.Address), config.VendorId, config.DeviceId, config.ClassCode, null, -1);
        for (int i = 0; i < config.TotalVfs; i++)
        {
            _secondaries.Add(new EmulatedSecondaryController(config.PrimaryControllerId + 1 + i, i + 1));
        }
    }

    public EmulatedPfConfig Config { get; }
    public EmulatedPciFunction Function { get; }

    public int NumVfs => VirtualFunctions.Count;
    public bool DriversAutoprobe { get; internal set; } = true;

    /// <summary>Flexible VQ/VI resources allocated to the primary (Virtualization Management ACT 1; VQRFAP/VIRFAP).</summary>
    public int PrimaryFlexibleVq { get; internal set; }
    public int PrimaryFlexibleVi { get; internal set; }

    /// <summary>The enabled VFs, index i at position i.</summary>
    internal List<EmulatedPciFunction> VirtualFunctions { get; } = [];

    public IReadOnlyList<EmulatedSecondaryController> Secondaries => _secondaries;

    public EmulatedSecondaryController? FindSecondary(int scid) => _secondaries.Find(s => s.Scid == scid);

    /// <summary>The VF for a secondary, if enabled (VFN = i + 1).</summary>
    internal EmulatedPciFunction? VirtualFunctionOf(EmulatedSecondaryController secondary) =>
        secondary.Vfn >= 1 && secondary.Vfn <= VirtualFunctions.Count ? VirtualFunctions[secondary.Vfn - 1] : null;

    internal EmulatedSecondaryController SecondaryOf(EmulatedPciFunction vf) => _secondaries[vf.VfIndex];

    internal int AssignedVq(EmulatedSecondaryController? except = null) => _secondaries.Where(s => s != except).Sum(s => s.Nvq);

    internal int AssignedVi(EmulatedSecondaryController? except = null) => _secondaries.Where(s => s != except).Sum(s => s.Nvi);

    /// <summary>
    /// VF i's routing ID is PF devfn + offset + stride·i; the bus advances with the high bits
    /// (iov.c <c>pci_iov_virtfn_bus</c>/<c>pci_iov_virtfn_devfn</c>, reference §1). Null beyond bus 0xff.
    /// </summary>
    public static PciAddress? VirtualFunctionAddress(PciAddress pf, int offset, int stride, int index)
    {
        long routing = ((long)pf.Bus << 8) + pf.DevFn + offset + ((long)stride * index);
        if (routing > 0xffff)
        {
            return null;
        }

        int devfn = (int)(routing & 0xff);
        return PciAddress.FromParts(pf.Domain, (int)(routing >> 8), devfn >> 3, devfn & 7);
    }
}

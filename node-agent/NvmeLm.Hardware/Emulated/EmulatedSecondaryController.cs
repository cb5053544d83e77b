namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// A secondary controller of an emulated primary (reference §3, CNS 0x15 entry) with its virtualization
/// resources and TP4159 migration state (reference §4a). Mutated only under the host's lock.
/// </summary>
public sealed class EmulatedSecondaryController
{
    internal EmulatedSecondaryController(int scid, int vfn)
    {
        Scid = scid;
        Vfn = vfn;
    }

    public int Scid { get; }

    /// <summary>VF number, 1-based (QEMU: VF index + 1).</summary>
    public int Vfn { get; }

    public int Nvq { get; internal set; }
    public int Nvi { get; internal set; }
    public bool Online { get; internal set; }
    public bool Suspended { get; internal set; }

    /// <summary>The controller state last written by Set Controller State (SEQIND last/only), or null.</summary>
    public byte[]? RestoredState { get; internal set; }

    /// <summary>Chunks of a Set Controller State sequence still in progress (first … last).</summary>
    internal List<byte>? PendingState { get; set; }

    /// <summary>QEMU on <c>sriov_numvfs</c> lowering / 0: offline, no resources; migration state dropped.</summary>
    internal void Reset()
    {
        Nvq = 0;
        Nvi = 0;
        Online = false;
        Suspended = false;
        RestoredState = null;
        PendingState = null;
    }
}

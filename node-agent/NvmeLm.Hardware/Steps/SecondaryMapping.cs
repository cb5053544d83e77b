namespace NvmeLm.Hardware.Steps;

/// <summary>
/// One secondary controller tied to its VF: SCID ↔ VFN (CNS 0x15) ↔ <c>virtfn&lt;VFN-1&gt;</c> ↔ VF address,
/// verified against sysfs (see <see cref="ListSecondariesStep"/>). <see cref="VfEnabled"/> is false when the VF does
/// not exist yet; <see cref="VfAddress"/> is then where the kernel will put it (offset/stride).
/// </summary>
public sealed record SecondaryMapping(
    ushort Scid,
    ushort Pcid,
    ushort Vfn,
    bool Online,
    ushort Nvq,
    ushort Nvi,
    int VirtfnIndex,
    PciAddress VfAddress,
    bool VfEnabled,
    string? Driver,
    string? DriverOverride,
    int? IommuGroup)
{
    public VirtualFunction ToVirtualFunction() => new(VirtfnIndex, VfAddress, Driver, DriverOverride, IommuGroup);
}

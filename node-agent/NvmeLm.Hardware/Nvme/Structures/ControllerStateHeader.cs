using System.Buffers.Binary;
using L = NvmeLm.Hardware.Nvme.ControllerStateHeaderLayout;

namespace NvmeLm.Hardware.Nvme.Structures;

/// <summary>
/// The 48-byte header of Controller State data per libnvme (reference §4a). Only parsed to learn the total
/// size (header + NVMECSS·4 + VSS·4) and the suspended attribute; the body is opaque (its format is still
/// being revised in TP4193). The 128-bit size fields must fit 32 bits here: anything larger is refused.
/// </summary>
public readonly record struct ControllerStateHeader(ushort Version, byte Attributes, uint NvmeStateDwords, uint VendorSpecificDwords)
{
    public bool ControllerSuspended => (Attributes & L.AttributeSuspended) != 0;

    /// <summary>Header plus both blocks, in bytes.</summary>
    public long TotalBytes => L.Size + (4L * NvmeStateDwords) + (4L * VendorSpecificDwords);

    public void WriteTo(Span<byte> header)
    {
        StructureGuard.RequireLength(header.Length, L.Size, "Controller State header");
        header[..L.Size].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(header[L.Version..], Version);
        header[L.Attributes] = Attributes;
        BinaryPrimitives.WriteUInt32LittleEndian(header[L.NvmeControllerStateSize..], NvmeStateDwords);
        BinaryPrimitives.WriteUInt32LittleEndian(header[L.VendorSpecificSize..], VendorSpecificDwords);
    }

    public static ControllerStateHeader Parse(ReadOnlySpan<byte> header)
    {
        StructureGuard.RequireLength(header.Length, L.Size, "Controller State header");
        return new ControllerStateHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(header[L.Version..]),
            header[L.Attributes],
            ReadSize(header.Slice(L.NvmeControllerStateSize, L.SizeFieldLength), "NVMECSS"),
            ReadSize(header.Slice(L.VendorSpecificSize, L.SizeFieldLength), "VSS"));
    }

    private static uint ReadSize(ReadOnlySpan<byte> field, string name)
    {
        // Little-endian 128-bit value: only the low 32 bits may be non-zero for any plausible state.
        if (field[4..].ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"Controller State {name} does not fit 32 bits; refusing an implausibly large state.");
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(field);
    }
}

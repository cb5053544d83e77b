using System.Buffers.Binary;
using L = NvmeLm.Hardware.Nvme.PrimaryControllerCapabilitiesLayout;

namespace NvmeLm.Hardware.Nvme.Structures;

/// <summary>Identify CNS 0x14 Primary Controller Capabilities, reference §3 (VQ = queue, VI = interrupt resources).</summary>
public sealed record PrimaryControllerCapabilities(
    ushort ControllerId,
    ushort PortId,
    byte ControllerResourceTypes,
    uint VqFlexibleTotal,
    uint VqFlexibleAssigned,
    ushort VqFlexibleAllocatedToPrimary,
    ushort VqPrivateTotal,
    ushort VqFlexibleSecondaryMaximum,
    ushort VqGranularity,
    uint ViFlexibleTotal,
    uint ViFlexibleAssigned,
    ushort ViFlexibleAllocatedToPrimary,
    ushort ViPrivateTotal,
    ushort ViFlexibleSecondaryMaximum,
    ushort ViGranularity)
{
    public bool SupportsVqResources => (ControllerResourceTypes & L.CrtVqSupported) != 0;
    public bool SupportsViResources => (ControllerResourceTypes & L.CrtViSupported) != 0;

    public void WriteTo(Span<byte> page)
    {
        StructureGuard.RequireLength(page.Length, IdentifyLayout.DataSize, "Primary Controller Capabilities");
        page[..IdentifyLayout.DataSize].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Cntlid..], ControllerId);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.PortId..], PortId);
        page[L.Crt] = ControllerResourceTypes;
        BinaryPrimitives.WriteUInt32LittleEndian(page[L.Vqfrt..], VqFlexibleTotal);
        BinaryPrimitives.WriteUInt32LittleEndian(page[L.Vqrfa..], VqFlexibleAssigned);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Vqrfap..], VqFlexibleAllocatedToPrimary);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Vqprt..], VqPrivateTotal);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Vqfrsm..], VqFlexibleSecondaryMaximum);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Vqgran..], VqGranularity);
        BinaryPrimitives.WriteUInt32LittleEndian(page[L.Vifrt..], ViFlexibleTotal);
        BinaryPrimitives.WriteUInt32LittleEndian(page[L.Virfa..], ViFlexibleAssigned);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Virfap..], ViFlexibleAllocatedToPrimary);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Viprt..], ViPrivateTotal);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Vifrsm..], ViFlexibleSecondaryMaximum);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Vigran..], ViGranularity);
    }

    public static PrimaryControllerCapabilities Parse(ReadOnlySpan<byte> page)
    {
        StructureGuard.RequireLength(page.Length, IdentifyLayout.DataSize, "Primary Controller Capabilities");
        return new PrimaryControllerCapabilities(
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Cntlid..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.PortId..]),
            page[L.Crt],
            BinaryPrimitives.ReadUInt32LittleEndian(page[L.Vqfrt..]),
            BinaryPrimitives.ReadUInt32LittleEndian(page[L.Vqrfa..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Vqrfap..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Vqprt..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Vqfrsm..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Vqgran..]),
            BinaryPrimitives.ReadUInt32LittleEndian(page[L.Vifrt..]),
            BinaryPrimitives.ReadUInt32LittleEndian(page[L.Virfa..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Virfap..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Viprt..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Vifrsm..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Vigran..]));
    }
}

using System.Buffers.Binary;
using System.Text;
using L = NvmeLm.Hardware.Nvme.IdentifyControllerLayout;

namespace NvmeLm.Hardware.Nvme.Structures;

/// <summary>The Identify Controller (CNS 0x01) fields the agent uses, reference §3 (libnvme <c>struct nvme_id_ctrl</c>).</summary>
public sealed record IdentifyController(
    ushort VendorId,
    ushort SubsystemVendorId,
    string SerialNumber,
    string ModelNumber,
    string FirmwareRevision,
    byte Cmic,
    ushort ControllerId,
    uint Version,
    byte ControllerType,
    ushort Oacs)
{
    /// <summary>OACS bit 7: the controller supports Virtualization Management (it is a primary with flexible resources).</summary>
    public bool SupportsVirtualizationManagement => (Oacs & L.OacsVirtualizationManagement) != 0;

    /// <summary>OACS bit 11 (HMLMS): host-managed live migration of its secondaries (TP4159).</summary>
    public bool SupportsHostManagedLiveMigration => (Oacs & L.OacsHostManagedLiveMigration) != 0;

    /// <summary>CMIC bit 2: this controller is itself an SR-IOV VF.</summary>
    public bool IsSriovVirtualFunction => (Cmic & L.CmicSriovVirtualFunction) != 0;

    /// <summary>Writes the fields into a 4096-byte Identify page (the emulated controller and round-trip tests use this).</summary>
    public void WriteTo(Span<byte> page)
    {
        StructureGuard.RequireLength(page.Length, IdentifyLayout.DataSize, "Identify Controller");
        page[..IdentifyLayout.DataSize].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Vid..], VendorId);
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Ssvid..], SubsystemVendorId);
        WriteAscii(page.Slice(L.SerialNumber, L.SerialNumberLength), SerialNumber);
        WriteAscii(page.Slice(L.ModelNumber, L.ModelNumberLength), ModelNumber);
        WriteAscii(page.Slice(L.FirmwareRevision, L.FirmwareRevisionLength), FirmwareRevision);
        page[L.Cmic] = Cmic;
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Cntlid..], ControllerId);
        BinaryPrimitives.WriteUInt32LittleEndian(page[L.Version..], Version);
        page[L.ControllerType] = ControllerType;
        BinaryPrimitives.WriteUInt16LittleEndian(page[L.Oacs..], Oacs);
    }

    public static IdentifyController Parse(ReadOnlySpan<byte> page)
    {
        StructureGuard.RequireLength(page.Length, IdentifyLayout.DataSize, "Identify Controller");
        return new IdentifyController(
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Vid..]),
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Ssvid..]),
            ReadAscii(page.Slice(L.SerialNumber, L.SerialNumberLength)),
            ReadAscii(page.Slice(L.ModelNumber, L.ModelNumberLength)),
            ReadAscii(page.Slice(L.FirmwareRevision, L.FirmwareRevisionLength)),
            page[L.Cmic],
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Cntlid..]),
            BinaryPrimitives.ReadUInt32LittleEndian(page[L.Version..]),
            page[L.ControllerType],
            BinaryPrimitives.ReadUInt16LittleEndian(page[L.Oacs..]));
    }

    // SN/MN/FR are ASCII, space padded (some devices pad with NUL); trim both.
    private static string ReadAscii(ReadOnlySpan<byte> field) =>
        Encoding.ASCII.GetString(field).TrimEnd(' ', '\0');

    private static void WriteAscii(Span<byte> field, string value)
    {
        if (value.Length > field.Length || !Ascii.IsValid(value))
        {
            throw new ArgumentException($"'{value}' does not fit an ASCII field of {field.Length} bytes.", nameof(value));
        }

        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(value, field);
    }
}

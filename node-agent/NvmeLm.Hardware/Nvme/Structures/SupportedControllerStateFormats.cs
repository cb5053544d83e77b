using System.Buffers.Binary;
using L = NvmeLm.Hardware.Nvme.ControllerStateFormatsLayout;

namespace NvmeLm.Hardware.Nvme.Structures;

/// <summary>
/// Identify CNS 0x20 Supported Controller State Formats (reference §4b): NV, NUUID, NV version numbers
/// (u16), then NUUID vendor format UUIDs (16 bytes each, kept as raw bytes).
/// </summary>
public sealed record SupportedControllerStateFormats(IReadOnlyList<ushort> Versions, IReadOnlyList<byte[]> VendorFormatUuids)
{
    public void WriteTo(Span<byte> page)
    {
        StructureGuard.RequireLength(page.Length, IdentifyLayout.DataSize, "Supported Controller State Formats");
        if (Versions.Count > byte.MaxValue || VendorFormatUuids.Count > byte.MaxValue)
        {
            throw new ArgumentException("NV and NUUID are single bytes.");
        }

        page[..IdentifyLayout.DataSize].Clear();
        page[L.NumberOfVersions] = (byte)Versions.Count;
        page[L.NumberOfUuids] = (byte)VendorFormatUuids.Count;
        int offset = L.FirstVersion;
        foreach (ushort version in Versions)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(page[offset..], version);
            offset += L.VersionSize;
        }

        foreach (byte[] uuid in VendorFormatUuids)
        {
            if (uuid.Length != L.UuidSize)
            {
                throw new ArgumentException($"A format UUID is {L.UuidSize} bytes, got {uuid.Length}.");
            }

            uuid.CopyTo(page[offset..]);
            offset += L.UuidSize;
        }
    }

    public static SupportedControllerStateFormats Parse(ReadOnlySpan<byte> page)
    {
        StructureGuard.RequireLength(page.Length, IdentifyLayout.DataSize, "Supported Controller State Formats");
        int versionCount = page[L.NumberOfVersions];
        int uuidCount = page[L.NumberOfUuids];
        var versions = new ushort[versionCount];
        int offset = L.FirstVersion;
        for (int i = 0; i < versionCount; i++)
        {
            versions[i] = BinaryPrimitives.ReadUInt16LittleEndian(page[offset..]);
            offset += L.VersionSize;
        }

        // 2 + 255·2 + 255·16 = 4592 > 4096: a corrupt count must not read past the page.
        if (offset + (uuidCount * L.UuidSize) > IdentifyLayout.DataSize)
        {
            throw new FormatException($"Supported Controller State Formats claims {versionCount} versions and {uuidCount} UUIDs, which exceed the 4096-byte page.");
        }

        var uuids = new byte[uuidCount][];
        for (int i = 0; i < uuidCount; i++)
        {
            uuids[i] = page.Slice(offset, L.UuidSize).ToArray();
            offset += L.UuidSize;
        }

        return new SupportedControllerStateFormats(versions, uuids);
    }
}

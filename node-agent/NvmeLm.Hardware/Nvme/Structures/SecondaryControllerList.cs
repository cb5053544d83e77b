using System.Buffers.Binary;
using L = NvmeLm.Hardware.Nvme.SecondaryControllerListLayout;

namespace NvmeLm.Hardware.Nvme.Structures;

/// <summary>
/// One page of Identify CNS 0x15 Secondary Controller List (reference §3): NUMID at byte 0, then up to
/// 127 entries of 32 bytes from byte 32. A controller with more secondaries needs further pages with
/// CNTID = last SCID + 1 (see <c>NvmeAdminClient.ListSecondaryControllers</c>).
/// </summary>
public static class SecondaryControllerList
{
    public static IReadOnlyList<SecondaryController> Parse(ReadOnlySpan<byte> page)
    {
        StructureGuard.RequireLength(page.Length, IdentifyLayout.DataSize, "Secondary Controller List");
        int count = page[L.NumberOfIdentifiers];
        if (count > L.MaxEntries)
        {
            throw new FormatException($"Secondary Controller List NUMID {count} exceeds the {L.MaxEntries} entries a page can hold.");
        }

        var entries = new SecondaryController[count];
        for (int i = 0; i < count; i++)
        {
            var entry = page.Slice(L.FirstEntry + (i * L.EntrySize), L.EntrySize);
            entries[i] = new SecondaryController(
                BinaryPrimitives.ReadUInt16LittleEndian(entry[L.Scid..]),
                BinaryPrimitives.ReadUInt16LittleEndian(entry[L.Pcid..]),
                (entry[L.Scs] & L.ScsOnline) != 0,
                BinaryPrimitives.ReadUInt16LittleEndian(entry[L.Vfn..]),
                BinaryPrimitives.ReadUInt16LittleEndian(entry[L.Nvq..]),
                BinaryPrimitives.ReadUInt16LittleEndian(entry[L.Nvi..]));
        }

        return entries;
    }

    /// <summary>Writes one page (at most 127 entries) as a controller returns it.</summary>
    public static void Write(IReadOnlyList<SecondaryController> entries, Span<byte> page)
    {
        StructureGuard.RequireLength(page.Length, IdentifyLayout.DataSize, "Secondary Controller List");
        if (entries.Count > L.MaxEntries)
        {
            throw new ArgumentException($"A Secondary Controller List page holds at most {L.MaxEntries} entries, got {entries.Count}.", nameof(entries));
        }

        page[..IdentifyLayout.DataSize].Clear();
        page[L.NumberOfIdentifiers] = (byte)entries.Count;
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = page.Slice(L.FirstEntry + (i * L.EntrySize), L.EntrySize);
            var value = entries[i];
            BinaryPrimitives.WriteUInt16LittleEndian(entry[L.Scid..], value.ControllerId);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[L.Pcid..], value.PrimaryControllerId);
            entry[L.Scs] = value.Online ? L.ScsOnline : (byte)0;
            BinaryPrimitives.WriteUInt16LittleEndian(entry[L.Vfn..], value.VirtualFunctionNumber);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[L.Nvq..], value.QueueResources);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[L.Nvi..], value.InterruptResources);
        }
    }
}

using System.Buffers.Binary;

namespace NvmeLm.Hardware.Nvme.Commands;

/// <summary>
/// The caller-owned fields of a 64-byte admin SQE (reference §2 "Mapping to the 64-byte SQE"):
/// opcode, NSID, CDW2–3 and CDW10–15. CID, MPTR and DPTR belong to the transport and stay zero.
/// Typed commands encode to and decode from this; the emulated controller decodes the same bytes.
/// </summary>
public readonly record struct NvmeSubmissionEntry(
    byte Opcode,
    uint Nsid = 0,
    uint Cdw2 = 0,
    uint Cdw3 = 0,
    uint Cdw10 = 0,
    uint Cdw11 = 0,
    uint Cdw12 = 0,
    uint Cdw13 = 0,
    uint Cdw14 = 0,
    uint Cdw15 = 0)
{
    public byte[] Encode()
    {
        var bytes = new byte[SubmissionEntryLayout.Size];
        EncodeTo(bytes);
        return bytes;
    }

    public void EncodeTo(Span<byte> destination)
    {
        if (destination.Length < SubmissionEntryLayout.Size)
        {
            throw new ArgumentException($"An NVMe submission entry needs {SubmissionEntryLayout.Size} bytes, got {destination.Length}.", nameof(destination));
        }

        destination[..SubmissionEntryLayout.Size].Clear();
        destination[SubmissionEntryLayout.Opcode] = Opcode;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Nsid..], Nsid);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Cdw2..], Cdw2);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Cdw3..], Cdw3);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Cdw10..], Cdw10);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Cdw11..], Cdw11);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Cdw12..], Cdw12);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Cdw13..], Cdw13);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Cdw14..], Cdw14);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SubmissionEntryLayout.Cdw15..], Cdw15);
    }

    /// <summary>Reads the caller-owned fields; the FUSE/PSDT flags byte must be 0, as the kernel requires (reference §2).</summary>
    public static NvmeSubmissionEntry Decode(ReadOnlySpan<byte> entry)
    {
        if (entry.Length != SubmissionEntryLayout.Size)
        {
            throw new ArgumentException($"An NVMe submission entry is {SubmissionEntryLayout.Size} bytes, got {entry.Length}.", nameof(entry));
        }

        if (entry[SubmissionEntryLayout.Flags] != 0)
        {
            throw new ArgumentException($"SQE flags byte must be 0 for admin passthrough, got 0x{entry[SubmissionEntryLayout.Flags]:x2}.", nameof(entry));
        }

        return new NvmeSubmissionEntry(
            entry[SubmissionEntryLayout.Opcode],
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Nsid..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Cdw2..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Cdw3..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Cdw10..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Cdw11..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Cdw12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Cdw13..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Cdw14..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SubmissionEntryLayout.Cdw15..]));
    }

    internal static NvmeSubmissionEntry DecodeExpecting(ReadOnlySpan<byte> entry, byte opcode, string commandName)
    {
        var decoded = Decode(entry);
        if (decoded.Opcode != opcode)
        {
            throw new ArgumentException($"Not a {commandName} command: opcode 0x{decoded.Opcode:x2}, expected 0x{opcode:x2}.", nameof(entry));
        }

        return decoded;
    }
}

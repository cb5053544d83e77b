using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using H = NvmeLm.Hardware.Nvme.ControllerStateHeaderLayout;

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// The emulated controller-state blob returned by Get Controller State: the 48-byte libnvme header
/// (reference §4a: VER, CSATTR, NVMECSS and VSS in dwords), an NVMe controller state with one I/O SQ/CQ pair
/// per assigned I/O queue (8-byte header + 24-byte records), then a vendor-specific section that names the
/// secondary the state came from. Deterministic for a given secondary, so tests can compare bytes and
/// observe that a state restored on another controller carries the source's identity.
/// Agent code must treat this as opaque (the real format is still being revised, reference §4b).
/// </summary>
public static class EmulatedControllerState
{
    /// <summary>Upper bound on an accepted state (the same order as the agent's own limit).</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>First 8 bytes of the vendor-specific section.</summary>
    public static ReadOnlySpan<byte> VendorMagic => "NVLMEMU1"u8;

    // NVMe controller state (libnvme v0, reference §4a): VER u16, NIOSQ u16, NIOCQ u16, reserved u16.
    private const int NvmeStateHeaderSize = 8;
    private const int NvmeStateNiosq = 2;
    private const int NvmeStateNiocq = 4;
    private const int QueueRecordSize = 24;
    private const int QueueRecordPrp1 = 0;   // u64
    private const int QueueRecordQsize = 8;  // u16
    private const int QueueRecordQid = 10;   // u16
    private const int EmulatedQueueSize = 63;

    // Vendor section: magic (8), serial (20, space padded), SCID u16, VFN u16, NVQ u16, NVI u16, filler.
    private const int VendorSerial = 8;
    private const int VendorSerialLength = 20;
    private const int VendorScid = 28;
    private const int VendorVfn = 30;
    private const int VendorNvq = 32;
    private const int VendorNvi = 34;
    private const int VendorMinimumSize = 36;

    /// <summary>The secondary's state now: the last restored state if any, otherwise one generated from its identity.</summary>
    internal static byte[] Current(EmulatedPhysicalFunction pf, EmulatedSecondaryController secondary, ushort version)
    {
        byte[] state = secondary.RestoredState?.ToArray() ?? Generate(pf, secondary, version);
        state[H.Attributes] = secondary.Suspended ? H.AttributeSuspended : (byte)0;
        return state;
    }

    /// <summary>True if <paramref name="state"/> has a supported version, consistent sizes and the vendor section.</summary>
    public static bool IsValid(ReadOnlySpan<byte> state, IReadOnlyList<int> supportedVersions)
    {
        if (state.Length < H.Size || !supportedVersions.Contains(BinaryPrimitives.ReadUInt16LittleEndian(state[H.Version..])))
        {
            return false;
        }

        ulong nvmeDwords = BinaryPrimitives.ReadUInt64LittleEndian(state[H.NvmeControllerStateSize..]);
        ulong vendorDwords = BinaryPrimitives.ReadUInt64LittleEndian(state[H.VendorSpecificSize..]);
        bool highZero = BinaryPrimitives.ReadUInt64LittleEndian(state[(H.NvmeControllerStateSize + 8)..]) == 0
            && BinaryPrimitives.ReadUInt64LittleEndian(state[(H.VendorSpecificSize + 8)..]) == 0;
        if (!highZero || nvmeDwords > MaxBytes || vendorDwords > MaxBytes || (ulong)H.Size + (4 * (nvmeDwords + vendorDwords)) != (ulong)state.Length)
        {
            return false;
        }

        var vendor = state[(H.Size + (int)(4 * nvmeDwords))..];
        return vendor.Length >= VendorMinimumSize && vendor.StartsWith(VendorMagic);
    }

    /// <summary>Which PF serial and SCID a valid state was taken from.</summary>
    public static (string Serial, int Scid) ReadOrigin(ReadOnlySpan<byte> state)
    {
        ulong nvmeDwords = BinaryPrimitives.ReadUInt64LittleEndian(state[H.NvmeControllerStateSize..]);
        var vendor = state[(H.Size + (int)(4 * nvmeDwords))..];
        string serial = Encoding.ASCII.GetString(vendor.Slice(VendorSerial, VendorSerialLength)).TrimEnd(' ');
        return (serial, BinaryPrimitives.ReadUInt16LittleEndian(vendor[VendorScid..]));
    }

    // Optimised from its first compile: its fill loop runs once per byte of an 8 KiB state, which made the tiered JIT
    // recompile it on the stack (OSR, ≈ 1.8 ms) inside the first Suspend's window of the one-migration demo.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] Generate(EmulatedPhysicalFunction pf, EmulatedSecondaryController secondary, ushort version)
    {
        int ioQueues = Math.Max(secondary.Nvq - 1, 0);
        int nvmeSize = NvmeStateHeaderSize + (2 * ioQueues * QueueRecordSize);
        int minimum = H.Size + nvmeSize + VendorMinimumSize;
        int total = Math.Max(minimum, (pf.Config.ControllerStateSize + 3) & ~3);
        var state = new byte[total];
        BinaryPrimitives.WriteUInt16LittleEndian(state.AsSpan(H.Version), version);
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(H.NvmeControllerStateSize), (ulong)(nvmeSize / 4));
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(H.VendorSpecificSize), (ulong)((total - H.Size - nvmeSize) / 4));

        var nvme = state.AsSpan(H.Size, nvmeSize);
        BinaryPrimitives.WriteUInt16LittleEndian(nvme, version);
        BinaryPrimitives.WriteUInt16LittleEndian(nvme[NvmeStateNiosq..], (ushort)ioQueues);
        BinaryPrimitives.WriteUInt16LittleEndian(nvme[NvmeStateNiocq..], (ushort)ioQueues);
        for (int q = 0; q < 2 * ioQueues; q++)
        {
            var record = nvme.Slice(NvmeStateHeaderSize + (q * QueueRecordSize), QueueRecordSize);
            int qid = (q % ioQueues) + 1;
            BinaryPrimitives.WriteUInt64LittleEndian(record[QueueRecordPrp1..], 0x1_0000_0000UL + ((ulong)secondary.Scid << 20) + ((ulong)q << 12));
            BinaryPrimitives.WriteUInt16LittleEndian(record[QueueRecordQsize..], EmulatedQueueSize);
            BinaryPrimitives.WriteUInt16LittleEndian(record[QueueRecordQid..], (ushort)qid);
        }

        var vendor = state.AsSpan(H.Size + nvmeSize);
        VendorMagic.CopyTo(vendor);
        var serial = vendor.Slice(VendorSerial, VendorSerialLength);
        serial.Fill((byte)' ');
        Encoding.ASCII.GetBytes(pf.Config.Serial, serial);
        BinaryPrimitives.WriteUInt16LittleEndian(vendor[VendorScid..], (ushort)secondary.Scid);
        BinaryPrimitives.WriteUInt16LittleEndian(vendor[VendorVfn..], (ushort)secondary.Vfn);
        BinaryPrimitives.WriteUInt16LittleEndian(vendor[VendorNvq..], (ushort)secondary.Nvq);
        BinaryPrimitives.WriteUInt16LittleEndian(vendor[VendorNvi..], (ushort)secondary.Nvi);
        for (int i = VendorMinimumSize; i < vendor.Length; i++)
        {
            vendor[i] = (byte)((i * 31) + secondary.Scid);
        }

        return state;
    }
}

using System.Runtime.InteropServices;

namespace NvmeLm.Hardware.Nvme.Linux;

/// <summary>
/// <c>struct nvme_passthru_cmd</c> (alias <c>nvme_admin_cmd</c>) from include/uapi/linux/nvme_ioctl.h,
/// 72 bytes, offsets verified by compiling against 6.18 headers (reference §2). Fixed-size fields only.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmePassthruCommand
{
    public const int SizeOf = 72;

    public byte Opcode;           // __u8  opcode
    public byte Flags;            // __u8  flags (must be 0)
    public ushort Reserved1;      // __u16 rsvd1
    public uint Nsid;             // __u32 nsid
    public uint Cdw2;             // __u32 cdw2
    public uint Cdw3;             // __u32 cdw3
    public ulong Metadata;        // __u64 metadata (user pointer)
    public ulong Addr;            // __u64 addr (user pointer, data buffer)
    public uint MetadataLength;   // __u32 metadata_len
    public uint DataLength;       // __u32 data_len
    public uint Cdw10;            // __u32 cdw10
    public uint Cdw11;            // __u32 cdw11
    public uint Cdw12;            // __u32 cdw12
    public uint Cdw13;            // __u32 cdw13
    public uint Cdw14;            // __u32 cdw14
    public uint Cdw15;            // __u32 cdw15
    public uint TimeoutMs;        // __u32 timeout_ms (0 = driver default)
    public uint Result;           // __u32 result (out: CQE DW0)
}

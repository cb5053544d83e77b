namespace NvmeLm.Hardware.Nvme;

/// <summary>
/// The admin queue of one NVMe controller character device (<c>/dev/nvmeN</c>), at the level of the
/// 64-byte submission queue entry (reference §2, SQE layout: DW0 opcode|flags|CID, DW1 NSID, DW2–3,
/// DW4–5 MPTR, DW6–9 DPTR, DW10–15). The Linux implementation copies the fields into
/// <c>struct nvme_passthru_cmd</c> and calls <c>NVME_IOCTL_ADMIN_CMD</c>; the emulated controller decodes
/// the same bytes. CID and DPTR are owned by the transport (the kernel builds them), so callers leave them 0
/// and pass the data buffer separately.
/// </summary>
public interface INvmeAdminDevice : IDisposable
{
    /// <summary>The device path, e.g. <c>/dev/nvme0</c>.</summary>
    string DevicePath { get; }

    /// <summary>
    /// Submits one admin command and waits for its completion.
    /// <paramref name="data"/> is the data buffer (host-to-controller or controller-to-host; its length is
    /// the transfer length). Returns the completion: a non-zero <see cref="NvmeRawCompletion.Status"/> is an
    /// NVMe status as the kernel's ioctl returns it (SC bits 7:0, SCT 10:8, CRD 12:11, M 13, DNR 14), not an error.
    /// Transport failures (open/ioctl returning -1) throw <see cref="HostIoException"/>.
    /// </summary>
    NvmeRawCompletion Submit(ReadOnlySpan<byte> submissionEntry, Span<byte> data, TimeSpan timeout);
}

/// <summary>Completion of an admin command: CQE DW0 (command specific result) and the status field.</summary>
public readonly record struct NvmeRawCompletion(uint Result, ushort Status)
{
    public bool IsSuccess => Status == 0;
}

/// <summary>Opens controller character devices; one implementation per host kind.</summary>
public interface INvmeAdminDeviceOpener
{
    /// <summary>Opens <paramref name="devicePath"/> (e.g. <c>/dev/nvme0</c>) read-write for admin passthrough.</summary>
    INvmeAdminDevice Open(string devicePath);
}

using NvmeLm.Hardware.Interop;
using NvmeLm.Hardware.Nvme.Commands;

namespace NvmeLm.Hardware.Nvme.Linux;

/// <summary>
/// An NVMe controller character device opened for admin passthrough: the SQE's caller-owned fields are copied
/// into <c>struct nvme_passthru_cmd</c>, the data buffer is pinned and passed as <c>addr</c>/<c>data_len</c>
/// (the kernel builds CID and PRPs and picks the direction from the opcode), and
/// <c>NVME_IOCTL_ADMIN_CMD</c> is issued (reference §2). Needs CAP_SYS_ADMIN.
/// </summary>
public sealed class LinuxNvmeAdminDevice : INvmeAdminDevice
{
    private readonly FileDescriptorHandle _fd;

    internal LinuxNvmeAdminDevice(string devicePath, FileDescriptorHandle fd)
    {
        DevicePath = devicePath;
        _fd = fd;
    }

    public string DevicePath { get; }

    public unsafe NvmeRawCompletion Submit(ReadOnlySpan<byte> submissionEntry, Span<byte> data, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
        var command = ToPassthru(NvmeSubmissionEntry.Decode(submissionEntry), data.Length, timeout);
        fixed (byte* buffer = data)
        {
            command.Addr = data.IsEmpty ? 0 : (ulong)buffer;
            int status = Interop.Interop.NvmeAdminCommand(_fd, ref command, DevicePath);
            return new NvmeRawCompletion(command.Result, checked((ushort)status));
        }
    }

    public void Dispose() => _fd.Dispose();

    /// <summary>Copies the SQE fields into the ioctl struct (everything but the data address, set while pinned).</summary>
    internal static NvmePassthruCommand ToPassthru(NvmeSubmissionEntry entry, int dataLength, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), $"An admin command timeout must be positive and fit 32-bit milliseconds, got {timeout}.");
        }

        return new NvmePassthruCommand
        {
            Opcode = entry.Opcode,
            Nsid = entry.Nsid,
            Cdw2 = entry.Cdw2,
            Cdw3 = entry.Cdw3,
            DataLength = (uint)dataLength,
            Cdw10 = entry.Cdw10,
            Cdw11 = entry.Cdw11,
            Cdw12 = entry.Cdw12,
            Cdw13 = entry.Cdw13,
            Cdw14 = entry.Cdw14,
            Cdw15 = entry.Cdw15,
            TimeoutMs = (uint)Math.Ceiling(timeout.TotalMilliseconds),
        };
    }
}

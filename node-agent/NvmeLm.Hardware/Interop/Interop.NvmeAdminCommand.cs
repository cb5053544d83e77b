using NvmeLm.Hardware.Nvme.Linux;
using Tmds.Linux;

namespace NvmeLm.Hardware.Interop;

internal static partial class Interop
{
    /// <summary>
    /// <c>ioctl(fd, NVME_IOCTL_ADMIN_CMD, &amp;cmd)</c>. Returns 0 or the positive NVMe status (reference §2;
    /// QEMU lab: 0x4120 came back as the return value). -1 + errno is a transport error. EINTR is retried:
    /// the kernel waits for admin completions uninterruptibly, so EINTR means the command was never issued.
    /// </summary>
    internal static unsafe int NvmeAdminCommand(FileDescriptorHandle fd, ref NvmePassthruCommand command, string devicePath)
    {
        fixed (NvmePassthruCommand* commandPtr = &command)
        {
            NvmePassthruCommand* pointer = commandPtr;
            while (true)
            {
                int result = fd.Use(raw => LibC.ioctl(raw, unchecked((int)NvmePassthruLayout.NvmeIoctlAdminCommand), pointer));
                if (result >= 0)
                {
                    return result;
                }

                var error = LastError(devicePath, "ioctl NVME_IOCTL_ADMIN_CMD");
                if (error.Errno != Errnos.EINTR)
                {
                    throw error;
                }
            }
        }
    }
}

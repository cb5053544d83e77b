using System.Text;
using Tmds.Linux;

namespace NvmeLm.Hardware.Interop;

internal static partial class Interop
{
    /// <summary>open(2) with O_CLOEXEC added; retries EINTR; -1 becomes <see cref="HostIoException"/> naming <paramref name="hostPath"/>.</summary>
    internal static unsafe FileDescriptorHandle Open(string hostPath, string mappedPath, int flags, string operation = "open")
    {
        byte[] path = Encoding.UTF8.GetBytes(mappedPath + "\0");
        fixed (byte* pathPtr = path)
        {
            while (true)
            {
                int fd = LibC.open(pathPtr, flags | LibC.O_CLOEXEC, 0);
                if (fd >= 0)
                {
                    return new FileDescriptorHandle(fd);
                }

                var error = LastError(hostPath, operation);
                if (error.Errno != Errnos.EINTR)
                {
                    throw error;
                }
            }
        }
    }
}

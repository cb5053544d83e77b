using Tmds.Linux;

namespace NvmeLm.Hardware.Interop;

internal static partial class Interop
{
    /// <summary>ioctl(2) with a pointer or by-value argument; retries EINTR; -1 becomes <see cref="HostIoException"/>.</summary>
    internal static unsafe int Ioctl(FileDescriptorHandle fd, uint request, void* argument, string path, string name)
    {
        while (true)
        {
            int result = fd.Use(raw => LibC.ioctl(raw, unchecked((int)request), argument));
            if (result >= 0)
            {
                return result;
            }

            var error = LastError(path, "ioctl " + name);
            if (error.Errno != Errnos.EINTR)
            {
                throw error;
            }
        }
    }
}

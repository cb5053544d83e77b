using Tmds.Linux;

namespace NvmeLm.Hardware.Interop;

internal static partial class Interop
{
    /// <summary>fsync(2) on <paramref name="fd"/>; retries EINTR; -1 becomes <see cref="HostIoException"/> naming <paramref name="path"/>.</summary>
    internal static void Fsync(FileDescriptorHandle fd, string path)
    {
        while (fd.Use(LibC.fsync) != 0)
        {
            var error = LastError(path, "fsync");
            if (error.Errno != Errnos.EINTR)
            {
                throw error;
            }
        }
    }
}

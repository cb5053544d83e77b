using Tmds.Linux;

namespace NvmeLm.Hardware.Interop;

internal static partial class Interop
{
    /// <summary>
    /// One write(2) of the whole value, as sysfs attributes expect (a store callback sees one buffer); retries EINTR.
    /// Direct libc keeps the exact errno (the managed file APIs fold EPERM into EACCES, EISDIR/ENOTDIR into others).
    /// </summary>
    internal static unsafe void WriteAll(FileDescriptorHandle fd, ReadOnlySpan<byte> data, string hostPath, string operation)
    {
        fixed (byte* buffer = data)
        {
            byte* start = buffer;
            int remaining = data.Length;
            while (remaining > 0)
            {
                long written = fd.Use(raw => (long)LibC.write(raw, start, (size_t)remaining));
                if (written < 0)
                {
                    var error = LastError(hostPath, operation);
                    if (error.Errno == Errnos.EINTR)
                    {
                        continue;
                    }

                    throw error;
                }

                start += written;
                remaining -= (int)written;
            }
        }
    }
}

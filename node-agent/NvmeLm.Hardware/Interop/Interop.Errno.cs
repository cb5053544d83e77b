using Tmds.Linux;

namespace NvmeLm.Hardware.Interop;

internal static partial class Interop
{
    /// <summary>
    /// The one mapper from a failed libc call to <see cref="HostIoException"/> (runtime's <c>CheckIo</c> idea).
    /// Call it on the line right after the call returned -1, before anything else can overwrite errno.
    /// </summary>
    internal static HostIoException LastError(string path, string operation) => new(LibC.errno, path, operation);
}

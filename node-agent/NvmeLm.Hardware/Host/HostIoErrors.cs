namespace NvmeLm.Hardware.Host;

/// <summary>
/// Maps .NET file-system exceptions on Linux back to the errno the kernel returned, in the spirit of
/// runtime's <c>Interop.GetExceptionForIoErrno</c> run backwards. On Unix a plain <see cref="IOException"/>
/// carries the raw errno in <see cref="Exception.HResult"/> (verified in the QEMU lab: EBUSY = 0x10, ERANGE = 0x22,
/// and by tests here); ENOENT and EACCES/EPERM arrive as typed exceptions instead.
/// </summary>
internal static class HostIoErrors
{
    // Linux errno values are small positive numbers; anything else in HResult is a COR_E_* code.
    private const int MaxErrno = 4095;

    public static HostIoException Map(Exception exception, string path, string operation) => exception switch
    {
        HostIoException host => host,
        FileNotFoundException or DirectoryNotFoundException => new HostIoException(Errnos.ENOENT, path, operation, exception),
        PathTooLongException => new HostIoException(Errnos.ENAMETOOLONG, path, operation, exception),
        UnauthorizedAccessException => new HostIoException(ErrnoOf(exception.InnerException) ?? Errnos.EACCES, path, operation, exception),
        IOException io => new HostIoException(ErrnoOf(io) ?? Errnos.EIO, path, operation, exception),
        _ => new HostIoException(Errnos.EIO, path, operation, exception),
    };

    private static int? ErrnoOf(Exception? exception) =>
        exception is IOException && exception.HResult is > 0 and <= MaxErrno ? exception.HResult : null;
}

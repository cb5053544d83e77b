using NvmeLm.Hardware.Host;

namespace NvmeLm.Hardware.Tests.LinuxHost;

/// <summary>The managed-exception → errno mapper used for reads, on the exception shapes .NET produces on Unix.</summary>
public class HostIoErrorsTests
{
    [Fact]
    public void Map_Should_UseHResultAsErrno_When_PlainIOException() =>
        Assert.Equal(Errnos.EBUSY, HostIoErrors.Map(new IOException("busy", Errnos.EBUSY), "/sys/x", "read").Errno);

    [Fact]
    public void Map_Should_FallBackToEio_When_HResultIsNotAnErrno() =>
        Assert.Equal(Errnos.EIO, HostIoErrors.Map(new IOException("odd", unchecked((int)0x80070020)), "/sys/x", "read").Errno);

    [Fact]
    public void Map_Should_GiveEnoent_When_FileOrDirectoryNotFound()
    {
        Assert.Equal(Errnos.ENOENT, HostIoErrors.Map(new FileNotFoundException(), "/sys/x", "read").Errno);
        Assert.Equal(Errnos.ENOENT, HostIoErrors.Map(new DirectoryNotFoundException(), "/sys/x", "read").Errno);
    }

    [Fact]
    public void Map_Should_GiveEacces_When_AccessDenied() =>
        Assert.Equal(Errnos.EACCES, HostIoErrors.Map(new UnauthorizedAccessException(), "/sys/x", "read").Errno);

    [Fact]
    public void Map_Should_KeepPathOperationAndInner()
    {
        var inner = new IOException("busy", Errnos.EBUSY);
        var mapped = HostIoErrors.Map(inner, "/sys/bus/pci/drivers/vfio-pci/bind", "write '0000:01:00.1'");
        Assert.Equal(("/sys/bus/pci/drivers/vfio-pci/bind", "write '0000:01:00.1'"), (mapped.Path, mapped.Operation));
        Assert.Same(inner, mapped.InnerException);
        Assert.Equal("write '0000:01:00.1' on /sys/bus/pci/drivers/vfio-pci/bind failed: EBUSY (16)", mapped.Message);
    }
}

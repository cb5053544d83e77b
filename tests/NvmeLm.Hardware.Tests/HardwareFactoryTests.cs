using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Nvme.Linux;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware.Tests;

public class HardwareFactoryTests
{
    [Fact]
    public void CreateLinux_Should_WireLinuxSeamsUnderRoot()
    {
        var hardware = HardwareFactory.CreateLinux("/tmp/host-root");
        Assert.Equal("/tmp/host-root", Assert.IsType<LinuxHostFileSystem>(hardware.Files).Root);
        Assert.IsType<LinuxNvmeAdminDeviceOpener>(hardware.Nvme);
        Assert.IsType<LinuxVfioFeatureProbe>(hardware.Vfio);
    }

    [Fact]
    public void CreateLinux_Should_RefuseRelativeRoot() => Assert.Throws<ArgumentException>(() => HardwareFactory.CreateLinux("host-root"));
}

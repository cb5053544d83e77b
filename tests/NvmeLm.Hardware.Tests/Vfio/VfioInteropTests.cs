using System.Runtime.InteropServices;
using NvmeLm.Hardware.Tests.Fakes;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware.Tests.Vfio;

/// <summary>VFIO ioctl numbers and structs against include/uapi/linux/vfio.h (reference §5). A real probe needs a VFIO device.</summary>
public class VfioInteropTests
{
    [Theory]
    [InlineData(VfioIoctls.GetApiVersionIndex, 0x3B64)]
    [InlineData(VfioIoctls.SetIommuIndex, 0x3B66)]
    [InlineData(VfioIoctls.GroupGetStatusIndex, 0x3B67)]
    [InlineData(VfioIoctls.GroupSetContainerIndex, 0x3B68)]
    [InlineData(VfioIoctls.GroupGetDeviceFdIndex, 0x3B6A)]
    [InlineData(VfioIoctls.DeviceFeatureIndex, 0x3B75)]
    public void Io_Should_ComposeTypeAndBasePlusIndex(int index, int expected) => Assert.Equal((uint)expected, VfioIoctls.Io(index));

    [Fact]
    public void DeviceFeature_Should_Be0x3B75_AsInReference() => Assert.Equal(0x3B75u, VfioIoctls.DeviceFeature);

    [Fact]
    public void FeatureMigrationStruct_Should_Be16BytesWithNamedOffsets()
    {
        Assert.Equal(VfioDeviceFeatureMigration.SizeOf, Marshal.SizeOf<VfioDeviceFeatureMigration>());
        Assert.Equal(VfioDeviceFeatureMigration.ArgszOffset, (int)Marshal.OffsetOf<VfioDeviceFeatureMigration>(nameof(VfioDeviceFeatureMigration.Argsz)));
        Assert.Equal(VfioDeviceFeatureMigration.FlagsOffset, (int)Marshal.OffsetOf<VfioDeviceFeatureMigration>(nameof(VfioDeviceFeatureMigration.Flags)));
        Assert.Equal(VfioDeviceFeatureMigration.MigrationFlagsOffset, (int)Marshal.OffsetOf<VfioDeviceFeatureMigration>(nameof(VfioDeviceFeatureMigration.MigrationFlags)));
        Assert.Equal((0, 4, 8, 16), (VfioDeviceFeatureMigration.ArgszOffset, VfioDeviceFeatureMigration.FlagsOffset, VfioDeviceFeatureMigration.MigrationFlagsOffset, VfioDeviceFeatureMigration.SizeOf));
    }

    [Fact]
    public void ProbeGet_Should_EncodeFeatureOneWithProbeAndGetBits()
    {
        var probe = VfioDeviceFeatureMigration.Create(VfioDeviceFeatureMigration.FeatureProbe | VfioDeviceFeatureMigration.FeatureGet);
        Assert.Equal(16u, probe.Argsz);
        Assert.Equal(0x0005_0001u, probe.Flags);                 // PROBE (1<<18) | GET (1<<16) | feature 1
        Assert.Equal((1u << 16, 1u << 17, 1u << 18), (VfioDeviceFeatureMigration.FeatureGet, VfioDeviceFeatureMigration.FeatureSet, VfioDeviceFeatureMigration.FeatureProbe));
    }

    [Fact]
    public void MigrationFlags_Should_MatchUapiBits() =>
        Assert.Equal((1ul, 2ul, 4ul), ((ulong)VfioMigrationFlags.StopCopy, (ulong)VfioMigrationFlags.P2P, (ulong)VfioMigrationFlags.PreCopy));

    [Fact]
    public void GroupStatusStruct_Should_Be8Bytes() => Assert.Equal(VfioGroupStatus.SizeOf, Marshal.SizeOf<VfioGroupStatus>());

    [Fact]
    public void Probe_Should_ThrowEnoent_When_ContainerMissing()
    {
        using var sysfs = new FakeSysfs();
        var ex = Assert.Throws<HostIoException>(() => new LinuxVfioFeatureProbe(sysfs.Root).ProbeMigration(PciAddress.Parse("0000:01:00.1"), 6));
        Assert.Equal(Errnos.ENOENT, ex.Errno);
        Assert.Equal(LinuxVfioFeatureProbe.ContainerPath, ex.Path);
    }

    [Fact]
    public void Probe_Should_SurfaceTransportError_When_GroupIsNotAVfioDevice()
    {
        using var sysfs = new FakeSysfs();
        sysfs.File("/dev/vfio/vfio", string.Empty).File("/dev/vfio/6", string.Empty);
        var ex = Assert.Throws<HostIoException>(() => new LinuxVfioFeatureProbe(sysfs.Root).ProbeMigration(PciAddress.Parse("0000:01:00.1"), 6));
        Assert.Equal(Errnos.ENOTTY, ex.Errno);
        Assert.Contains("VFIO_GROUP_GET_STATUS", ex.Message, StringComparison.Ordinal);
    }
}

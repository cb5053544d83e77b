using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;
using NvmeLm.Hardware.Nvme.Linux;
using NvmeLm.Hardware.Tests.Fakes;

namespace NvmeLm.Hardware.Tests.Nvme;

/// <summary><c>struct nvme_passthru_cmd</c> against the compiled offsets in reference §2, and the Linux device's ioctl path.</summary>
public class NvmePassthruCommandTests
{
    public static TheoryData<string, string, int, int> Fields => new()
    {
        // C field, managed field, offset, size
        { "opcode", nameof(NvmePassthruCommand.Opcode), NvmePassthruLayout.Opcode, 1 },
        { "flags", nameof(NvmePassthruCommand.Flags), NvmePassthruLayout.Flags, 1 },
        { "rsvd1", nameof(NvmePassthruCommand.Reserved1), NvmePassthruLayout.Reserved1, 2 },
        { "nsid", nameof(NvmePassthruCommand.Nsid), NvmePassthruLayout.Nsid, 4 },
        { "cdw2", nameof(NvmePassthruCommand.Cdw2), NvmePassthruLayout.Cdw2, 4 },
        { "cdw3", nameof(NvmePassthruCommand.Cdw3), NvmePassthruLayout.Cdw3, 4 },
        { "metadata", nameof(NvmePassthruCommand.Metadata), NvmePassthruLayout.Metadata, 8 },
        { "addr", nameof(NvmePassthruCommand.Addr), NvmePassthruLayout.Addr, 8 },
        { "metadata_len", nameof(NvmePassthruCommand.MetadataLength), NvmePassthruLayout.MetadataLength, 4 },
        { "data_len", nameof(NvmePassthruCommand.DataLength), NvmePassthruLayout.DataLength, 4 },
        { "cdw10", nameof(NvmePassthruCommand.Cdw10), NvmePassthruLayout.Cdw10, 4 },
        { "cdw11", nameof(NvmePassthruCommand.Cdw11), NvmePassthruLayout.Cdw11, 4 },
        { "cdw12", nameof(NvmePassthruCommand.Cdw12), NvmePassthruLayout.Cdw12, 4 },
        { "cdw13", nameof(NvmePassthruCommand.Cdw13), NvmePassthruLayout.Cdw13, 4 },
        { "cdw14", nameof(NvmePassthruCommand.Cdw14), NvmePassthruLayout.Cdw14, 4 },
        { "cdw15", nameof(NvmePassthruCommand.Cdw15), NvmePassthruLayout.Cdw15, 4 },
        { "timeout_ms", nameof(NvmePassthruCommand.TimeoutMs), NvmePassthruLayout.TimeoutMs, 4 },
        { "result", nameof(NvmePassthruCommand.Result), NvmePassthruLayout.Result, 4 },
    };

    public static TheoryData<string, int> ReferenceOffsets => new()
    {
        { "opcode", 0 }, { "flags", 1 }, { "rsvd1", 2 }, { "nsid", 4 }, { "cdw2", 8 }, { "cdw3", 12 }, { "metadata", 16 }, { "addr", 24 },
        { "metadata_len", 32 }, { "data_len", 36 }, { "cdw10", 40 }, { "cdw11", 44 }, { "cdw12", 48 }, { "cdw13", 52 }, { "cdw14", 56 },
        { "cdw15", 60 }, { "timeout_ms", 64 }, { "result", 68 },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Field_Should_SitAtNamedOffset(string cField, string field, int offset, int size)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<NvmePassthruCommand>(field));
        Assert.Equal(size, Marshal.SizeOf(typeof(NvmePassthruCommand).GetField(field)!.FieldType));
        Assert.False(string.IsNullOrEmpty(cField));
    }

    [Theory]
    [MemberData(nameof(ReferenceOffsets))]
    public void NamedOffset_Should_MatchCompiledKernelHeader(string cField, int expected)
    {
        int offset = ((IEnumerable<object[]>)Fields).Single(row => (string)row[0] == cField)[2] is int value ? value : -1;
        Assert.Equal(expected, offset);
    }

    [Fact]
    public void SizeOf_Should_Be72()
    {
        Assert.Equal(72, NvmePassthruCommand.SizeOf);
        Assert.Equal(NvmePassthruCommand.SizeOf, Unsafe.SizeOf<NvmePassthruCommand>());
        Assert.Equal(NvmePassthruCommand.SizeOf, Marshal.SizeOf<NvmePassthruCommand>());
    }

    [Fact]
    public void AllFieldsCovered()
    {
        var covered = ((IEnumerable<object[]>)Fields).Select(row => (string)row[1]).ToHashSet();
        var fields = typeof(NvmePassthruCommand).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name);
        Assert.Equal(fields.Order(), covered.Order());
        var offsets = typeof(NvmePassthruLayout).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(int)).Select(f => f.Name);
        Assert.Equal(offsets.Order(), covered.Order());
    }

    [Fact]
    public void AdminIoctlNumber_Should_Be_IOWR_N_0x41_Size72()
    {
        // _IOWR = dir 3 << 30 | size << 16 | type << 8 | nr
        uint composed = (3u << 30) | ((uint)NvmePassthruCommand.SizeOf << 16) | ((uint)'N' << 8) | 0x41;
        Assert.Equal(NvmePassthruLayout.NvmeIoctlAdminCommand, composed);
        Assert.Equal(0xC0484E41u, composed);
    }

    [Fact]
    public void ToPassthru_Should_CopyEveryCallerField()
    {
        var entry = new NvmeSubmissionEntry(0x42, 1, 2, 3, 10, 11, 12, 13, 14, 15);

        var command = LinuxNvmeAdminDevice.ToPassthru(NvmeSubmissionEntry.Decode(entry.Encode()), 4096, TimeSpan.FromSeconds(1.5));

        Assert.Equal(
            (0x42, 0, 1u, 2u, 3u, 4096u, 10u, 11u, 12u, 13u, 14u, 15u, 1500u, 0ul, 0ul),
            (command.Opcode, command.Flags, command.Nsid, command.Cdw2, command.Cdw3, command.DataLength, command.Cdw10, command.Cdw11,
                command.Cdw12, command.Cdw13, command.Cdw14, command.Cdw15, command.TimeoutMs, command.Addr, command.Metadata));
    }

    [Fact]
    public void ToPassthru_Should_RejectNonPositiveTimeout() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LinuxNvmeAdminDevice.ToPassthru(new NvmeSubmissionEntry(6), 0, TimeSpan.Zero));

    [Theory]
    [InlineData("/dev/nvme0n1")]
    [InlineData("/dev/nvme0\n")]
    [InlineData("/dev/../dev/nvme0")]
    [InlineData("nvme0")]
    [InlineData("/dev/sda")]
    public void Opener_Should_RefuseAnythingButControllerDevices(string path) =>
        Assert.Throws<ArgumentException>(() => new LinuxNvmeAdminDeviceOpener("/").Open(path));

    [Fact]
    public void Opener_Should_ThrowEnoent_When_DeviceMissing()
    {
        using var sysfs = new FakeSysfs();
        var ex = Assert.Throws<HostIoException>(() => new LinuxNvmeAdminDeviceOpener(sysfs.Root).Open("/dev/nvme7"));
        Assert.Equal(Errnos.ENOENT, ex.Errno);
        Assert.Equal("/dev/nvme7", ex.Path);
    }

    [Fact]
    public void Submit_Should_ThrowHostIoWithEnotty_When_IoctlFailsOnNonDevice()
    {
        // A regular file answers the admin ioctl with -1/ENOTTY: the transport-error path, not an NVMe status.
        using var sysfs = new FakeSysfs();
        sysfs.File("/dev/nvme0", string.Empty);
        using var device = new LinuxNvmeAdminDeviceOpener(sysfs.Root).Open("/dev/nvme0");

        var ex = Assert.Throws<HostIoException>(() => new NvmeAdminClient(device).IdentifyController());

        Assert.Equal(Errnos.ENOTTY, ex.Errno);
        Assert.Contains("NVME_IOCTL_ADMIN_CMD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_Should_Throw_When_Disposed()
    {
        using var sysfs = new FakeSysfs();
        sysfs.File("/dev/nvme0", string.Empty);
        var device = new LinuxNvmeAdminDeviceOpener(sysfs.Root).Open("/dev/nvme0");
        device.Dispose();
        Assert.Throws<ObjectDisposedException>(() => device.Submit(IdentifyCommand.Controller().Encode(), new byte[4096], TimeSpan.FromSeconds(1)));
    }
}

using System.Diagnostics;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Tests.Fakes;

namespace NvmeLm.Hardware.Tests.LinuxHost;

/// <summary>
/// LinuxHostFileSystem on a real temp tree. Tests run as root here, so "read-only file" cannot be provoked;
/// the errno mapping is shown with ENOENT, EISDIR and ENOTDIR, which root gets too.
/// </summary>
public sealed class LinuxHostFileSystemTests : IDisposable
{
    private readonly FakeSysfs _sysfs = new();
    private readonly LinuxHostFileSystem _files;

    public LinuxHostFileSystemTests()
    {
        _sysfs.Device("0000:01:00.0").File("sriov_numvfs", "2\n").IommuGroup(5).Directory("nvme/nvme0");
        _files = new LinuxHostFileSystem(_sysfs.Root);
    }

    public void Dispose() => _sysfs.Dispose();

    [Fact]
    public void ReadAllText_Should_FollowBusSymlinkIntoDeviceDirectory() =>
        Assert.Equal("2\n", _files.ReadAllText("/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"));

    [Fact]
    public void ReadAllText_Should_ThrowEnoent_When_Missing()
    {
        var ex = Assert.Throws<HostIoException>(() => _files.ReadAllText("/sys/bus/pci/devices/0000:01:00.0/nope"));
        Assert.Equal(Errnos.ENOENT, ex.Errno);
        Assert.Equal("/sys/bus/pci/devices/0000:01:00.0/nope", ex.Path);
        Assert.Equal("read", ex.Operation);
    }

    [Fact]
    public void WriteAllText_Should_ReplaceWholeValue()
    {
        _files.WriteAllText("/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs", "0");
        Assert.Equal("0", _sysfs.ReadDeviceFile("0000:01:00.0", "sriov_numvfs"));
    }

    [Fact]
    public void WriteAllText_Should_ThrowEnoentAndNotCreate_When_AttributeMissing()
    {
        var ex = Assert.Throws<HostIoException>(() => _files.WriteAllText("/sys/bus/pci/devices/0000:01:00.0/sriov_bogus", "1"));
        Assert.Equal(Errnos.ENOENT, ex.Errno);
        Assert.Contains("write '1'", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_sysfs.Host(FakeSysfs.DevicesParent + "/0000:01:00.0/sriov_bogus")));
    }

    [Fact]
    public void WriteAllText_Should_ThrowEisdir_When_PathIsDirectory()
    {
        var ex = Assert.Throws<HostIoException>(() => _files.WriteAllText("/sys/bus/pci/devices/0000:01:00.0/nvme", "1"));
        Assert.Equal(Errnos.EISDIR, ex.Errno);
    }

    [Fact]
    public void WriteAllText_Should_ThrowEnotdir_When_ParentIsFile()
    {
        var ex = Assert.Throws<HostIoException>(() => _files.WriteAllText("/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs/x", "1"));
        Assert.Equal(Errnos.ENOTDIR, ex.Errno);
    }

    [Fact]
    public void WriteAllText_Should_ThrowEtimedout_When_WriteBlocks()
    {
        // Opening a FIFO for writing blocks until a reader appears: a stand-in for a hung driver callback.
        string fifo = _sysfs.Host("/sys/bus/pci/devices/0000:01:00.0/hang");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var files = new LinuxHostFileSystem(_sysfs.Root, writeTimeout: TimeSpan.FromMilliseconds(50));
        var ex = Assert.Throws<HostIoException>(() => files.WriteAllText("/sys/bus/pci/devices/0000:01:00.0/hang", "1"));
        Assert.Equal(Errnos.ETIMEDOUT, ex.Errno);

        // Release the abandoned writer thread.
        using var reader = new FileStream(fifo, FileMode.Open, FileAccess.Read);
        _ = reader.ReadByte();
    }

    [Fact]
    public void ReadAllText_Should_CarryErrnoFromIOExceptionHResult_When_SymlinkLoops()
    {
        // A plain IOException on Unix carries the errno in HResult (here ELOOP); the mapper keeps it.
        _sysfs.Symlink("/sys/loop-a", "loop-b").Symlink("/sys/loop-b", "loop-a");
        var ex = Assert.Throws<HostIoException>(() => _files.ReadAllText("/sys/loop-a"));
        Assert.Equal(Errnos.ELOOP, ex.Errno);
        Assert.IsType<IOException>(ex.InnerException, exactMatch: true);
    }

    [Fact]
    public void WriteAllText_Should_ReportEloop_FromLibc_When_SymlinkLoops()
    {
        _sysfs.Symlink("/sys/loop-a", "loop-b").Symlink("/sys/loop-b", "loop-a");
        Assert.Equal(Errnos.ELOOP, Assert.Throws<HostIoException>(() => _files.WriteAllText("/sys/loop-a", "1")).Errno);
    }

    [Fact]
    public void ReadLink_Should_ReturnStoredRelativeTarget() =>
        Assert.Equal("../../../kernel/iommu_groups/5", _files.ReadLink("/sys/bus/pci/devices/0000:01:00.0/iommu_group"));

    [Fact]
    public void ReadLink_Should_ReturnNull_When_NotALink() =>
        Assert.Null(_files.ReadLink("/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"));

    [Fact]
    public void ReadLink_Should_ThrowEnoent_When_Missing() =>
        Assert.Equal(Errnos.ENOENT, Assert.Throws<HostIoException>(() => _files.ReadLink("/sys/bus/pci/devices/0000:01:00.0/driver")).Errno);

    [Fact]
    public void Exists_Should_BeTrueForDanglingLinkAndFalseForMissing()
    {
        Assert.True(_files.Exists("/sys/bus/pci/devices/0000:01:00.0/iommu_group"));    // target absent in the fake tree
        Assert.False(_files.Exists("/sys/bus/pci/devices/0000:01:00.0/physfn"));
    }

    [Fact]
    public void ListDirectory_Should_ReturnSortedNames_And_ThrowEnoent_When_Missing()
    {
        Assert.Equal(new[] { "iommu_group", "nvme", "sriov_numvfs" }, _files.ListDirectory("/sys/bus/pci/devices/0000:01:00.0"));
        Assert.Equal(Errnos.ENOENT, Assert.Throws<HostIoException>(() => _files.ListDirectory("/sys/bus/pci/devices/0000:09:00.0")).Errno);
    }

    [Theory]
    [InlineData("sys/bus/pci/devices")]
    [InlineData("/sys/bus/pci/devices/../../../etc/passwd")]
    [InlineData("/sys/bus\0/pci")]
    public void Paths_Should_BeRefused_When_RelativeOrEscaping(string path) =>
        Assert.Throws<ArgumentException>(() => _files.ReadAllText(path));

    [Fact]
    public void Constructor_Should_RefuseRelativeRoot() =>
        Assert.Throws<ArgumentException>(() => new LinuxHostFileSystem("relative/root"));

    [Fact]
    public void Map_Should_UsePathAsIs_When_RootIsSlash() =>
        Assert.Equal("/sys/bus/pci/devices", new LinuxHostFileSystem("/").Map("/sys/bus/pci/devices"));
}

using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Tests.Fakes;

namespace NvmeLm.Hardware.Tests.Pci;

/// <summary>
/// SriovSysfs writes against a temp tree, with <see cref="RecordingFileSystem"/> to see the order of writes and
/// to feed the errno the kernel would answer (the kernel rules themselves are tested on the emulated host).
/// </summary>
public sealed class SriovSysfsWriteTests : IDisposable
{
    private const string PfPath = "/sys/bus/pci/devices/0000:01:00.0";
    private const string VfPath = "/sys/bus/pci/devices/0000:01:00.1";
    private static readonly PciAddress s_pf = PciAddress.Parse("0000:01:00.0");
    private static readonly PciAddress s_vf = PciAddress.Parse("0000:01:00.1");
    private readonly FakeSysfs _sysfs = new();
    private readonly RecordingFileSystem _files;
    private readonly SriovSysfs _sriov;

    public SriovSysfsWriteTests()
    {
        _sysfs.Driver("nvme").Driver("vfio-pci");
        _sysfs.Device("0000:01:00.0").Identity("0x1b36", "0x0010", "0x010802").Sriov(total: 4, numVfs: 2).Driver("nvme").IommuGroup(5)
            .Symlink("virtfn0", "../0000:01:00.1");
        _sysfs.Device("0000:01:00.1").Identity("0x1b36", "0x0010", "0x010802").Symlink("physfn", "../0000:01:00.0").IommuGroup(6)
            .Driver("nvme").File("driver_override", "(null)\n");
        _sysfs.File("/dev/vfio/6", string.Empty);
        _files = new RecordingFileSystem(new LinuxHostFileSystem(_sysfs.Root));
        _sriov = new SriovSysfs(_files, retryDelay: TimeSpan.Zero);
    }

    public void Dispose() => _sysfs.Dispose();

    [Fact]
    public void SetNumVfs_Should_WriteZeroFirst_When_ChangingNonZeroCount()
    {
        Assert.True(_sriov.SetNumVfs(s_pf, 3));
        Assert.Equal(new[] { (PfPath + "/sriov_numvfs", "0"), (PfPath + "/sriov_numvfs", "3") }, _files.Writes);
    }

    [Fact]
    public void SetNumVfs_Should_WriteNothing_When_AlreadySet()
    {
        Assert.False(_sriov.SetNumVfs(s_pf, 2));
        Assert.Empty(_files.Attempts);
    }

    [Fact]
    public void SetNumVfs_Should_WriteOnlyZero_When_Disabling()
    {
        _sriov.SetNumVfs(s_pf, 0);
        Assert.Equal(new[] { (PfPath + "/sriov_numvfs", "0") }, _files.Writes);
    }

    [Fact]
    public void SetNumVfs_Should_RefuseBeforeWriting_When_AboveTotal()
    {
        var ex = Assert.Throws<SysfsRuleException>(() => _sriov.SetNumVfs(s_pf, 5));
        Assert.Equal(SysfsRuleReason.NumVfsExceedsTotalVfs, ex.Reason);
        Assert.Equal(0, ex.Errno);
        Assert.Contains("at most 4", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_files.Attempts);
    }

    [Theory]
    [InlineData(Errnos.ERANGE, SysfsRuleReason.NumVfsExceedsTotalVfs)]
    [InlineData(Errnos.EBUSY, SysfsRuleReason.VfsAlreadyEnabled)]
    [InlineData(Errnos.ENOENT, SysfsRuleReason.NoSriovCapableDriver)]
    [InlineData(Errnos.EPERM, SysfsRuleReason.VfsAssigned)]
    public void SetNumVfs_Should_MapKernelErrnoToRule_WithoutRetry(int errno, SysfsRuleReason reason)
    {
        _sysfs.Device("0000:01:00.0").File("sriov_numvfs", "0\n");
        _files.FailWrite(PfPath + "/sriov_numvfs", errno);

        var ex = Assert.Throws<SysfsRuleException>(() => _sriov.SetNumVfs(s_pf, 3));

        Assert.Equal(reason, ex.Reason);
        Assert.Equal(errno, ex.Errno);
        Assert.Equal(s_pf, ex.Device);
        Assert.Single(_files.Attempts);                          // EBUSY on sriov_numvfs is a rule, not retried
    }

    [Fact]
    public void SetNumVfs_Should_PassThroughOtherErrnos()
    {
        _files.FailWrite(PfPath + "/sriov_numvfs", Errnos.EIO);
        Assert.Equal(Errnos.EIO, Assert.Throws<HostIoException>(() => _sriov.SetNumVfs(s_pf, 1)).Errno);
    }

    [Fact]
    public void SetDriversAutoprobe_Should_WriteOnlyWhenDifferent()
    {
        Assert.True(_sriov.SetDriversAutoprobe(s_pf, false));
        Assert.False(_sriov.SetDriversAutoprobe(s_pf, false));
        Assert.Equal(new[] { (PfPath + "/sriov_drivers_autoprobe", "0") }, _files.Writes);
    }

    [Fact]
    public void BindDriver_Should_FollowBindOne_And_VerifyVfioGroup()
    {
        ShowBindInTree("vfio-pci");

        var result = _sriov.BindDriver(s_vf, "vfio-pci");

        Assert.Equal(new BindResult(s_vf, "vfio-pci", "nvme", Changed: true, IommuGroup: 6), result);
        Assert.Equal(
            new[]
            {
                ("/sys/bus/pci/drivers/nvme/unbind", "0000:01:00.1"),
                (VfPath + "/driver_override", "vfio-pci"),
                ("/sys/bus/pci/drivers/vfio-pci/bind", "0000:01:00.1"),
                (VfPath + "/driver_override", "\n"),
            },
            _files.Writes);
    }

    [Fact]
    public void BindDriver_Should_WriteNothing_When_AlreadyBound()
    {
        _sysfs.SetDriverLink("0000:01:00.1", "vfio-pci");
        Assert.False(_sriov.BindDriver(s_vf, "vfio-pci").Changed);
        Assert.Empty(_files.Attempts);
    }

    [Fact]
    public void BindDriver_Should_RetryTransientEbusy_When_DeviceHadNoDriver()
    {
        ShowBindInTree("vfio-pci");
        _files.FailWrite("/sys/bus/pci/drivers/vfio-pci/bind", Errnos.EBUSY, Errnos.EAGAIN);

        Assert.True(_sriov.BindDriver(s_vf, "vfio-pci").Changed);
        Assert.Equal(3, _files.Attempts.Count(p => p == "/sys/bus/pci/drivers/vfio-pci/bind"));
    }

    [Fact]
    public void BindDriver_Should_SucceedWithoutRebinding_When_ConcurrentProbeBoundTarget()
    {
        // EBUSY because a concurrent probe (honouring our driver_override) was binding vfio-pci meanwhile.
        _files.AfterWrite("/sys/bus/pci/drivers/nvme/unbind", _ => _sysfs.SetDriverLink("0000:01:00.1", null));
        _files.FailWrite("/sys/bus/pci/drivers/vfio-pci/bind", Errnos.EBUSY);
        _files.AfterFailedWrite("/sys/bus/pci/drivers/vfio-pci/bind", _ => _sysfs.SetDriverLink("0000:01:00.1", "vfio-pci"));

        Assert.True(_sriov.BindDriver(s_vf, "vfio-pci").Changed);
        Assert.Single(_files.Attempts, p => p == "/sys/bus/pci/drivers/vfio-pci/bind");
    }

    [Fact]
    public void BindDriver_Should_FailAndNotRetry_When_BoundToOtherDriverMeanwhile()
    {
        _files.FailWrite("/sys/bus/pci/drivers/vfio-pci/bind", Errnos.EBUSY);
        _files.AfterWrite("/sys/bus/pci/drivers/nvme/unbind", _ => _sysfs.SetDriverLink("0000:01:00.1", null));
        _files.AfterFailedWrite("/sys/bus/pci/drivers/vfio-pci/bind", _ => _sysfs.SetDriverLink("0000:01:00.1", "nvme")); // someone else won the race

        var ex = Assert.Throws<SysfsRuleException>(() => _sriov.BindDriver(s_vf, "vfio-pci"));

        Assert.Equal(SysfsRuleReason.BoundToOtherDriver, ex.Reason);
        Assert.Single(_files.Attempts, p => p == "/sys/bus/pci/drivers/vfio-pci/bind");
    }

    [Fact]
    public void BindDriver_Should_RebindPreviousDriver_When_BindRejected()
    {
        _files.AfterWrite("/sys/bus/pci/drivers/nvme/unbind", _ => _sysfs.SetDriverLink("0000:01:00.1", null));
        _files.FailWrite("/sys/bus/pci/drivers/vfio-pci/bind", Errnos.EINVAL);

        var ex = Assert.Throws<SysfsRuleException>(() => _sriov.BindDriver(s_vf, "vfio-pci"));

        Assert.Equal(SysfsRuleReason.BindRejected, ex.Reason);
        Assert.Equal(Errnos.EINVAL, ex.Errno);
        Assert.Contains(("/sys/bus/pci/drivers/nvme/bind", "0000:01:00.1"), _files.Writes);
        Assert.Equal((VfPath + "/driver_override", "\n"), _files.Writes[^2]);
    }

    [Fact]
    public void BindDriver_Should_Throw_When_VfioGroupDeviceMissing()
    {
        System.IO.File.Delete(_sysfs.Host("/dev/vfio/6"));
        ShowBindInTree("vfio-pci");

        var ex = Assert.Throws<SysfsRuleException>(() => _sriov.BindDriver(s_vf, "vfio-pci"));

        Assert.Equal(SysfsRuleReason.VfioGroupMissing, ex.Reason);
        Assert.Contains("/dev/vfio/6", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BindDriver_Should_Refuse_When_DriverNotLoaded()
    {
        Assert.Equal(SysfsRuleReason.DriverNotLoaded, Assert.Throws<SysfsRuleException>(() => _sriov.BindDriver(s_vf, "mlx5_vfio_pci")).Reason);
        Assert.Empty(_files.Attempts);
    }

    [Theory]
    [InlineData("../../../../etc")]
    [InlineData("vfio-pci/../nvme")]
    [InlineData("")]
    public void BindDriver_Should_RejectInvalidDriverName_BeforeAnyWrite(string driver)
    {
        Assert.Throws<ArgumentException>(() => _sriov.BindDriver(s_vf, driver));
        Assert.Empty(_files.Attempts);
    }

    [Fact]
    public void UnbindDriver_Should_WriteToCurrentDriversUnbind()
    {
        Assert.Equal("nvme", _sriov.UnbindDriver(s_vf));
        Assert.Equal(new[] { ("/sys/bus/pci/drivers/nvme/unbind", "0000:01:00.1") }, _files.Writes);
    }

    [Fact]
    public void UnbindDriver_Should_AcceptEnodev_When_AlreadyUnboundMeanwhile()
    {
        // unbind answers ENODEV because a concurrent unbind got there first.
        _files.FailWrite("/sys/bus/pci/drivers/nvme/unbind", Errnos.ENODEV);
        _files.AfterFailedWrite("/sys/bus/pci/drivers/nvme/unbind", _ => _sysfs.SetDriverLink("0000:01:00.1", null));

        Assert.Equal("nvme", _sriov.UnbindDriver(s_vf));
    }

    [Fact]
    public void ClearDriverOverride_Should_WriteNewline_OnlyWhenSet()
    {
        Assert.False(_sriov.ClearDriverOverride(s_vf));
        _sysfs.Device("0000:01:00.1").File("driver_override", "vfio-pci\n");
        Assert.True(_sriov.ClearDriverOverride(s_vf));
        Assert.Equal(new[] { (VfPath + "/driver_override", "\n") }, _files.Writes);
    }

    private void ShowBindInTree(string driver)
    {
        _files.AfterWrite("/sys/bus/pci/drivers/nvme/unbind", _ => _sysfs.SetDriverLink("0000:01:00.1", null));
        _files.AfterWrite($"/sys/bus/pci/drivers/{driver}/bind", _ => _sysfs.SetDriverLink("0000:01:00.1", driver));
    }
}

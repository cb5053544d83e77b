using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class SafetyGuardTests : IDisposable
{
    private readonly StepFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void OpenDeviceScanner_Should_FindHolders_When_ProcessHasVfioGroupOpen()
    {
        _fixture.Enable(StepFixture.Source);
        using var context = _fixture.Context();
        BindVfioResult bound = new BindVfioStep(context).Run(StepFixture.Source, 1);
        int fd = _fixture.Host.OpenDeviceAs(31337, bound.VfioGroupPath!);
        var scanner = new OpenDeviceScanner(_fixture.Hardware.Files);

        Assert.Equal([31337], scanner.FindHolders([bound.VfioGroupPath!]));
        _fixture.Host.CloseDevice(31337, fd);
        Assert.Empty(scanner.FindHolders([bound.VfioGroupPath!]));
    }

    [Fact]
    public void NamespaceUsage_Should_ReportMountOfPartition_When_PfNamespaceMounted()
    {
        _fixture.Host.Mount("/dev/nvme1n1p2", "/srv");
        using var context = _fixture.Context();
        var usage = new NamespaceUsage(_fixture.Hardware.Files, context.Sysfs);

        Assert.Equal(["/dev/nvme1n1p2 mounted on /srv"], usage.FindUses(StepFixture.Destination));
        Assert.Empty(usage.FindUses(StepFixture.Source));
    }

    [Fact]
    public void EnsurePfMayBeReconfigured_Should_RefuseBeforeAnyWrite_When_NotSelected()
    {
        var policy = new SafetyPolicy([StepFixture.Destination]);

        var ex = Assert.Throws<HardwareRefusedException>(() => policy.EnsureSelected(StepFixture.Source));

        Assert.Equal(RefusalReason.NotSelected, ex.Reason);
        Assert.Contains("selected: 0000:02:00.0", ex.Message);
    }
}

using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class VirtualizationSupportTests : IDisposable
{
    private readonly StepFixture _qemu72 = new(Qemu72Host.Config());
    private readonly StepFixture _standard = new();

    public void Dispose()
    {
        _qemu72.Dispose();
        _standard.Dispose();
    }

    [Fact]
    public void EmulatedPf_Should_ClearOacsBit7ButAnswerCns14_When_OacsBitDisabled()
    {
        NvmeAdminClient client = Client(_qemu72, "/dev/nvme0");

        IdentifyController id = client.IdentifyController();
        PrimaryControllerCapabilities caps = client.PrimaryControllerCapabilities();

        Assert.Equal(0, id.Oacs & IdentifyControllerLayout.OacsVirtualizationManagement);
        Assert.True(caps.SupportsVqResources && caps.SupportsViResources);
        Assert.Equal(8u, caps.VqFlexibleTotal);
    }

    [Fact]
    public void Detect_Should_UseOacs_When_Bit7Set()
    {
        NvmeAdminClient client = Client(_standard, "/dev/nvme0");

        VirtualizationSupport support = VirtualizationSupport.Detect(client, client.IdentifyController());

        Assert.Equal(VirtualizationDetection.Oacs, support.DetectedVia);
        Assert.True(support.Supported);
        Assert.Equal(16u, support.Capabilities!.VqFlexibleTotal);
        Assert.Contains("advertised by OACS bit 7", support.Describe());
    }

    [Fact]
    public void Detect_Should_UsePrimaryCapabilities_When_Bit7ClearAndCns14Succeeds()
    {
        NvmeAdminClient client = Client(_qemu72, "/dev/nvme0");
        IdentifyController id = client.IdentifyController();

        VirtualizationSupport support = VirtualizationSupport.Detect(client, id);

        Assert.Equal(VirtualizationDetection.PrimaryCapabilities, support.DetectedVia);
        Assert.True(support.Supported);
        Assert.Equal(8u, support.Capabilities!.VqFlexibleTotal);
        Assert.Equal(support.Capabilities, support.Require(StepFixture.Source, "/dev/nvme0", id.ControllerId));
        Assert.Equal(
            $"OACS bit 7 clear (OACS=0x{id.Oacs:x4}); Virtualization Management detected via Identify CNS 0x14 (QEMU < 10.0 does not set OACS.VMS)",
            support.Describe());
    }

    [Fact]
    public void Detect_Should_ReportUnsupportedAndRequireRefuse_When_Bit7ClearAndCns14Fails()
    {
        _qemu72.Host.Faults.FailCommand(NvmeAdminOpcode.Identify, NvmeStatus.From(NvmeStatusCode.InvalidFieldInCommand, doNotRetry: true).Raw,
            select: IdentifyCns.PrimaryControllerCapabilities);
        NvmeAdminClient client = Client(_qemu72, "/dev/nvme0");
        IdentifyController id = client.IdentifyController();

        VirtualizationSupport support = VirtualizationSupport.Detect(client, id);

        Assert.Equal(VirtualizationDetection.None, support.DetectedVia);
        Assert.False(support.Supported);
        Assert.Null(support.Capabilities);
        Assert.Contains("Identify CNS 0x14 failed with status", support.Describe());
        var ex = Assert.Throws<HardwareRefusedException>(() => support.Require(StepFixture.Source, "/dev/nvme0", id.ControllerId));
        Assert.Equal(RefusalReason.MissingCapability, ex.Reason);
        Assert.Contains($"primary controller CNTLID 0 of PF {StepFixture.Source} (/dev/nvme0) does not support Virtualization Management (OACS bit 7 VMS clear, OACS=0x{id.Oacs:x4}, and Identify CNS 0x14 failed", ex.Message);
    }

    [Fact]
    public void Detect_Should_ReportUnsupported_When_ControllerHasNoSriov()
    {
        var config = Qemu72Host.Config(oacsBit7: true);
        config.PhysicalFunctions[0].TotalVfs = 0;
        using var fixture = new StepFixture(config);
        NvmeAdminClient client = Client(fixture, "/dev/nvme0");

        VirtualizationSupport support = VirtualizationSupport.Detect(client, client.IdentifyController());

        Assert.False(support.Supported);
        Assert.Contains("no secondary controllers", support.Describe());
    }

    private static NvmeAdminClient Client(StepFixture fixture, string device) => new(fixture.Hardware.Nvme.Open(device));
}

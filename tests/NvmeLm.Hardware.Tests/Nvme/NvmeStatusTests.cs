using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Hardware.Tests.Nvme;

public class NvmeStatusTests
{
    [Fact]
    public void NvmeStatus_0x4120_IsDnrCommandSpecificInvalidSecondaryState()
    {
        var status = new NvmeStatus(0x4120);                    // as the QEMU lab's ioctl returned it
        Assert.Equal(0x20, status.StatusCode);
        Assert.Equal(1, status.StatusCodeType);
        Assert.True(status.DoNotRetry);
        Assert.False(status.More);
        Assert.Equal(0, status.CommandRetryDelay);
        Assert.Equal(NvmeStatusCode.InvalidSecondaryControllerState, status.Code);
        Assert.True(status.IsNamed);
    }

    [Fact]
    public void NvmeStatus_0x4121_IsInvalidNumberOfResources() =>
        Assert.Equal(NvmeStatusCode.InvalidNumberOfControllerResources, new NvmeStatus(0x4121).Code);

    [Fact]
    public void NvmeStatus_Should_DecodeCrdAndMore()
    {
        var status = new NvmeStatus(0x3802);                    // M (bit 13) | CRD 3 (bits 12:11) | SC 2
        Assert.True(status.More);
        Assert.Equal(3, status.CommandRetryDelay);
        Assert.False(status.DoNotRetry);
        Assert.Equal(NvmeStatusCode.InvalidFieldInCommand, status.Code);
    }

    [Theory]
    [InlineData(0x0001, NvmeStatusCode.InvalidCommandOpcode)]
    [InlineData(0x4002, NvmeStatusCode.InvalidFieldInCommand)]
    [InlineData(0x4139, NvmeStatusCode.ControllerSuspended)]
    [InlineData(0x413A, NvmeStatusCode.ControllerNotSuspended)]
    [InlineData(0x411F, NvmeStatusCode.InvalidControllerIdentifier)]
    public void NvmeStatus_Code_Should_NameKnownPairs(int raw, NvmeStatusCode expected) =>
        Assert.Equal(expected, new NvmeStatus((ushort)raw).Code);

    [Fact]
    public void NvmeStatus_Should_NotNameUnknownPair()
    {
        var status = new NvmeStatus(0x4281);                    // SCT 2 (media), SC 0x81
        Assert.False(status.IsNamed);
        Assert.Contains("SCT 2", status.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NvmeStatus_From_Should_SetDnr() =>
        Assert.Equal(0x4120, NvmeStatus.From(NvmeStatusCode.InvalidSecondaryControllerState).Raw);

    [Fact]
    public void NvmeCommandException_Message_Should_NameCommandDeviceAndCode()
    {
        var ex = new NvmeCommandException("/dev/nvme0", 0x1C, "Virtualization Management (Secondary Online, RT VQ, CNTLID 1, NR 0)", new NvmeStatus(0x4120));
        Assert.Equal(NvmeStatusCode.InvalidSecondaryControllerState, ex.Code);
        Assert.Equal(1, ex.StatusCodeType);
        Assert.Equal(0x20, ex.StatusCode);
        Assert.Contains("/dev/nvme0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Secondary Online", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid Secondary Controller State", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0x4120", ex.Message, StringComparison.Ordinal);
    }
}

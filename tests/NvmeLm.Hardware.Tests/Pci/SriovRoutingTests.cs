using NvmeLm.Hardware.Pci;

namespace NvmeLm.Hardware.Tests.Pci;

public class SriovRoutingTests
{
    [Theory]
    [InlineData("0000:01:00.0", 1, 1, 0, "0000:01:00.1")]     // QEMU lab: offset 1, stride 1
    [InlineData("0000:01:00.0", 1, 1, 3, "0000:01:00.4")]
    [InlineData("0000:01:00.0", 1, 1, 7, "0000:01:01.0")]     // devfn 8 = device 1, function 0 (ARI-style numbering)
    [InlineData("0000:3b:00.0", 0x80, 2, 64, "0000:3c:00.0")]  // devfn 0x80 + 128 = 0x100 carries into the next bus
    [InlineData("0001:02:00.1", 0x0f, 1, 0, "0001:02:02.0")]   // devfn 1 + 15 = 16
    public void VirtualFunctionAddress_Should_FollowOffsetAndStride(string pf, int offset, int stride, int index, string expected) =>
        Assert.Equal(expected, SriovRouting.VirtualFunctionAddress(PciAddress.Parse(pf), offset, stride, index).ToString());

    [Fact]
    public void VirtualFunctionAddress_Should_Reject_When_PastLastBus() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SriovRouting.VirtualFunctionAddress(PciAddress.Parse("0000:ff:00.0"), 1, 1, 255));
}

namespace NvmeLm.Hardware.Tests;

public class PciAddressTests
{
    [Theory]
    [InlineData("0000:01:00.0", 0, 1, 0, 0)]
    [InlineData("ffff:ff:1f.7", 0xffff, 0xff, 0x1f, 7)]
    [InlineData("0001:3a:02.5", 1, 0x3a, 2, 5)]
    public void Parse_Should_ReadParts_When_Valid(string text, int domain, int bus, int device, int function)
    {
        var address = PciAddress.Parse(text);
        Assert.Equal((domain, bus, device, function), (address.Domain, address.Bus, address.Device, address.Function));
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("01:00.0")]                    // no domain
    [InlineData("0000:01:00.8")]               // function > 7
    [InlineData("0000:01:20.0")]               // device > 0x1f
    [InlineData("0000:0A:00.0")]               // upper case
    [InlineData("0000:01:00.0\n")]             // trailing newline
    [InlineData(" 0000:01:00.0")]
    [InlineData("0000:01:00.0/../../x")]       // path traversal
    [InlineData("../0000:01:00.0")]
    [InlineData("0000:01:00.0;rm -rf /")]
    public void TryParse_Should_Reject_When_NotStrictForm(string text)
    {
        Assert.False(PciAddress.TryParse(text, out _));
        Assert.Throws<FormatException>(() => PciAddress.Parse(text));
    }

    [Fact]
    public void TryParse_Should_Reject_Null() => Assert.False(PciAddress.TryParse(null, out _));

    [Fact]
    public void DevFn_Should_CombineDeviceAndFunction() => Assert.Equal((2 << 3) | 5, PciAddress.Parse("0000:00:02.5").DevFn);

    [Fact]
    public void CompareTo_Should_OrderByDomainBusDeviceFunction()
    {
        var sorted = new[] { "0000:01:00.2", "0000:00:1f.0", "0001:00:00.0", "0000:01:00.1" }.Select(PciAddress.Parse).Order().Select(a => a.ToString());
        Assert.Equal(new[] { "0000:00:1f.0", "0000:01:00.1", "0000:01:00.2", "0001:00:00.0" }, sorted);
    }

    [Fact]
    public void FromParts_Should_Reject_OutOfRange() => Assert.Throws<ArgumentOutOfRangeException>(() => PciAddress.FromParts(0, 0, 32, 0));
}

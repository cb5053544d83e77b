using NvmeLm.Hardware;

namespace NvmeLm.Api.Tests;

public class PciPatternTests
{
    [Fact]
    public void ApiPciAddressPattern_Should_EqualHardwarePattern()
    {
        // The CRD pattern and the hardware layer's parser must agree, or the API would accept addresses
        // the agent then refuses (or the reverse). Api cannot reference Hardware, so this test pins them.
        Assert.Equal(PciAddress.Pattern, ApiPatterns.PciAddress);
    }

    [Fact]
    public void GeneratedCrds_Should_UseThePciPattern_ForEveryAddressField()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Crds, "*.yaml"))
        {
            var addressLines = File.ReadAllLines(file)
                .Select((line, i) => (line, i))
                .Where(l => l.line.TrimStart().StartsWith("pattern: ^[0-9a-f]{4}:", StringComparison.Ordinal))
                .ToList();

            Assert.NotEmpty(addressLines);
            Assert.All(addressLines, l => Assert.Equal("pattern: " + PciAddress.Pattern, l.line.Trim()));
        }
    }
}

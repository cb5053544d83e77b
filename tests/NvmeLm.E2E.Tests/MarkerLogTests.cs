using NvmeLm.E2E.Tests.Harness;

namespace NvmeLm.E2E.Tests;

/// <summary>The marker parser on console text shaped like a real serial log (CRs, escapes, kernel lines).</summary>
public sealed class MarkerLogTests
{
    private const string SerialSample =
        "\u001bc\u001b[?7l\u001b[2JSeaBIOS (version 1.16.2)\r\n" +
        "E2E-RESULT name=guest.pf status=pass detail=PF 0000:01:00.0 ctrl /dev/nvme0\r\n" +
        "[    2.95] some kernel line\r\n" +
        "E2E-BEGIN name=xcheck.boot.id-ctrl\r\n" +
        "{\r\n  \"oacs\":266\r\n}\r\n" +
        "E2E-END name=xcheck.boot.id-ctrl\r\n" +
        "E2E-TIMING name=baseline.prepare-3vfs ms=590\r\n" +
        "E2E-RESULT name=kernel.numvfs-ebusy status=fail detail=write error: x = y\r\n" +
        "E2E-DONE\r\n";

    [Fact]
    public void Parse_Should_ReadResultsTimingsAndBlocks_When_LinesHaveCrAndEscapes()
    {
        var log = MarkerLog.Parse(SerialSample);

        Assert.Equal(new MarkerResult("guest.pf", true, "PF 0000:01:00.0 ctrl /dev/nvme0"), log.Find("guest.pf"));
        Assert.Equal(new MarkerResult("kernel.numvfs-ebusy", false, "write error: x = y"), log.Find("kernel.numvfs-ebusy"));
        Assert.Equal(590, log.TimingsMs["baseline.prepare-3vfs"]);
        Assert.Equal("{\n  \"oacs\":266\n}", log.Blocks["xcheck.boot.id-ctrl"]);
        Assert.True(log.Contains("E2E-DONE"));
    }

    [Fact]
    public void Parse_Should_NotReadMarkersInsideBlocks()
    {
        var log = MarkerLog.Parse("E2E-BEGIN name=cmd.x\nE2E-RESULT name=inner status=pass detail=\nE2E-END name=cmd.x\n");

        Assert.Null(log.Find("inner"));
        Assert.Equal("E2E-RESULT name=inner status=pass detail=", log.Blocks["cmd.x"]);
    }

    [Fact]
    public void Find_Should_ReturnNull_When_StepNeverRan()
    {
        Assert.Null(MarkerLog.Parse("E2E-DONE\n").Find("prepare-source"));
    }
}

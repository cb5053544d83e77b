using System.Text;
using k8s;
using NvmeLm.Kube.Client;

namespace NvmeLm.Kube.Tests.Client;

public sealed class WatchLineParserTests
{
    private const string Widget = """{"apiVersion":"test.nvmelm.io/v1","kind":"Widget","metadata":{"name":"w1","resourceVersion":"7"},"spec":{"size":3}}""";

    [Theory]
    [InlineData("ADDED", WatchEventType.Added)]
    [InlineData("MODIFIED", WatchEventType.Modified)]
    [InlineData("DELETED", WatchEventType.Deleted)]
    [InlineData("BOOKMARK", WatchEventType.Bookmark)]
    public void Parse_Should_ReadTheObjectInOnePass_When_TypeComesFirst(string text, WatchEventType expected)
    {
        string line = $$"""{"type":"{{text}}","object":{{Widget}}}""";

        Assert.Equal(expected, WatchLineParser<TestWidget>.LeadingType(Utf8(line)));
        WatchEvent<TestWidget> parsed = WatchLineParser<TestWidget>.Parse(Utf8(line));

        Assert.Equal(expected, parsed.Type);
        Assert.Equal("w1", parsed.Object!.Metadata.Name);
        Assert.Equal(3, parsed.Object.Spec!.Size);
        Assert.Null(parsed.Status);
    }

    [Fact]
    public void Parse_Should_ReadTheObject_When_TheObjectComesFirst()
    {
        string line = $$"""{"object":{{Widget}},"type":"MODIFIED"}""";

        Assert.Null(WatchLineParser<TestWidget>.LeadingType(Utf8(line)));
        WatchEvent<TestWidget> parsed = WatchLineParser<TestWidget>.Parse(Utf8(line));

        Assert.Equal(WatchEventType.Modified, parsed.Type);
        Assert.Equal("7", parsed.Object!.Metadata.ResourceVersion);
    }

    [Fact]
    public void Parse_Should_ReturnTheStatus_When_TheEventIsAnError()
    {
        // An ERROR's object is a Status, whose string "status" would not fit the kind's status object.
        const string line = """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (9)","reason":"Expired","code":410}}""";

        WatchEvent<TestWidget> parsed = WatchLineParser<TestWidget>.Parse(Utf8(line));

        Assert.Equal(WatchEventType.Error, parsed.Type);
        Assert.Null(parsed.Object);
        Assert.Equal(410, parsed.Status!.Code);
    }

    [Theory]
    [InlineData("""{"type":"RENAMED","object":{}}""", "Unknown watch event type 'RENAMED'.")]
    [InlineData("""{"type":"MODIFIED"}""", "Watch event MODIFIED carries no object.")]
    public void Parse_Should_FailClearly_When_TheLineIsNotAnEvent(string line, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => WatchLineParser<TestWidget>.Parse(Utf8(line)));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_Should_ReadOnlyItsSegment_When_TheLineSitsInsideALargerBuffer()
    {
        // The line reader hands out a slice of its buffer: bytes around the line must not be read.
        byte[] line = Encoding.UTF8.GetBytes($$"""{"type":"ADDED","object":{{Widget}}}""");
        byte[] buffer = [.. "garbage{"u8, .. line, .. "}{\"type\":"u8];

        WatchEvent<TestWidget> parsed = WatchLineParser<TestWidget>.Parse(new ArraySegment<byte>(buffer, 8, line.Length));

        Assert.Equal(WatchEventType.Added, parsed.Type);
        Assert.Equal("w1", parsed.Object!.Metadata.Name);
    }

    private static ArraySegment<byte> Utf8(string line) => Encoding.UTF8.GetBytes(line);
}

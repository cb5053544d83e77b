using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Tests.Unit;

public sealed class YamlToJsonTests
{
    [Fact]
    public void Convert_Should_ResolvePlainScalars_AndKeepQuotedStrings()
    {
        var json = YamlToJson.Convert("""
            a: 1
            b: "1"
            c: true
            d: ~
            e: 1.5
            f: [x, 'y']
            g: {h: no}
            """);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":1,"b":"1","c":true,"d":null,"e":1.5,"f":["x","y"],"g":{"h":"no"}}"""), json), json!.ToJsonString());
    }
}

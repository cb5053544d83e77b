using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Api;

namespace NvmeLm.ApiServer.Tests.Unit;

public sealed class UnknownFieldsTests
{
    [Fact]
    public void Removed_Should_ListPrunedPaths_ButNotMetadata()
    {
        var before = JsonNode.Parse("""{"metadata":{"x":1},"spec":{"a":1,"b":{"c":2},"l":[{"k":1,"z":2}]},"extra":true}""");
        var after = JsonNode.Parse("""{"metadata":{},"spec":{"a":1,"b":{},"l":[{"k":1}]}}""");

        Assert.Equal(["spec.b.c", "spec.l[0].z", "extra"], UnknownFields.Removed(before, after));
    }
}

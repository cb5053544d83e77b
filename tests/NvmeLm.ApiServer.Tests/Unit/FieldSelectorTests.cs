using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Selectors;

namespace NvmeLm.ApiServer.Tests.Unit;

public sealed class FieldSelectorTests
{
    private static readonly JsonObject s_pod = new()
    {
        ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "ns" },
        ["spec"] = new JsonObject { ["nodeName"] = "worker-1" },
    };

    [Theory]
    [InlineData("metadata.name=p", true)]
    [InlineData("metadata.name==p", true)]
    [InlineData("metadata.name!=p", false)]
    [InlineData("metadata.namespace=ns,metadata.name=p", true)]
    [InlineData("spec.nodeName=worker-1", true)]
    [InlineData("spec.nodeName=worker-2", false)]
    public void Matches_Should_CompareFieldValues(string selector, bool expected)
    {
        var selectable = new HashSet<string> { "spec.nodeName" };

        Assert.Equal(expected, FieldSelector.Parse(selector, selectable).Matches(s_pod));
    }

    [Fact]
    public void Parse_Should_Throw400_When_FieldIsNotSelectable()
    {
        var error = Assert.Throws<ApiException>(() => FieldSelector.Parse("spec.other=x", new HashSet<string>()));

        Assert.Equal(400, error.Code);
        Assert.Equal("field label not supported: spec.other", error.Message);
    }
}

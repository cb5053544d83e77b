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

    [Theory]
    [InlineData("metadata.name=p", "p", false)]
    [InlineData("metadata.name=p", "q", true)]
    [InlineData("metadata.name==p,spec.nodeName=worker-1", "q", true)]
    [InlineData("metadata.name!=p", "q", false)] // only equality pins a name
    [InlineData("metadata.name!=p", "p", false)] // ruled out by Matches, not here: it reads the object
    [InlineData("spec.nodeName=worker-1", "q", false)]
    [InlineData("", "q", false)]
    public void RulesOutName_Should_BeTrueOnlyWhenAnEqualityTermAsksForAnotherName(string selector, string name, bool expected)
    {
        var fields = FieldSelector.Parse(selector, new HashSet<string> { "spec.nodeName" });

        Assert.Equal(expected, fields.RulesOutName(name));
        // Never stricter than Matches: an object of that name that matches the selector is never ruled out.
        var obj = (JsonObject)s_pod.DeepClone();
        obj["metadata"]!["name"] = name;
        Assert.False(fields.RulesOutName(name) && fields.Matches(obj));
    }

    [Fact]
    public void Parse_Should_Throw400_When_FieldIsNotSelectable()
    {
        var error = Assert.Throws<ApiException>(() => FieldSelector.Parse("spec.other=x", new HashSet<string>()));

        Assert.Equal(400, error.Code);
        Assert.Equal("field label not supported: spec.other", error.Message);
    }
}

using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Selectors;

namespace NvmeLm.ApiServer.Tests.Unit;

public sealed class LabelSelectorTests
{
    private static JsonObject Labelled(params (string Key, string Value)[] labels)
    {
        var map = new JsonObject();
        foreach (var (key, value) in labels)
        {
            map[key] = value;
        }
        return new JsonObject { ["metadata"] = new JsonObject { ["labels"] = map } };
    }

    [Theory]
    [InlineData("tier=web", true)]
    [InlineData("tier==web", true)]
    [InlineData("tier!=web", false)]
    [InlineData("tier in (db, web)", true)]
    [InlineData("tier notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("zone", false)]
    [InlineData("!zone", true)]
    [InlineData("zone!=a", true)]
    [InlineData("tier=web,app in (shop),!zone", true)]
    [InlineData("tier=web,app=other", false)]
    public void Matches_Should_FollowKubernetesSemantics(string selector, bool expected)
    {
        var obj = Labelled(("tier", "web"), ("app", "shop"));

        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(obj));
    }

    [Fact]
    public void Parse_Should_MatchEverything_When_Empty()
    {
        Assert.True(LabelSelector.Parse("").Matches(new JsonObject { ["metadata"] = new JsonObject() }));
    }

    [Theory]
    [InlineData("tier in web")]
    [InlineData("=web")]
    [InlineData("a,,b")]
    public void Parse_Should_Throw400_When_Malformed(string selector)
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));
        Assert.Equal(400, error.Code);
    }
}

using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>The 413 and 422 size answers are kube's Status objects, for any client.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RequestLimitTests
{
    [Fact]
    public async Task Post_Should_AnswerRequestEntityTooLargeStatus_When_BodyIsOneByteOver3MiB()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);
        var body = ConfigMap("over", 3 * 1024 * 1024);

        var (code, status) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", body);

        Assert.Equal(413, code);
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("RequestEntityTooLarge", status["reason"]!.GetValue<string>());
        Assert.Equal("Request entity too large: limit is 3145728", status["message"]!.GetValue<string>());
        Assert.Equal(413, status["code"]!.GetValue<int>());
        Assert.Null(server.Store.Get(new("", "configmaps"), new("default", "over")));
    }

    [Fact]
    public async Task Update_Should_Be422AndKeepTheSecret_When_DataGrowsOver1MiB()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var http = HttpHelpers.Client(server);
        var secret = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "s" }, ["data"] = new JsonObject { ["a"] = "YWJj" } };
        var (created, _) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/secrets", secret);
        var grown = new JsonObject { ["data"] = new JsonObject { ["a"] = Convert.ToBase64String(new byte[1024 * 1024 + 1]) } };

        var (code, status) = await HttpHelpers.SendAsync(http, HttpMethod.Patch, "/api/v1/namespaces/default/secrets/s", grown, "application/merge-patch+json");

        Assert.Equal(201, created);
        Assert.Equal(422, code);
        Assert.Equal("FieldValueTooLong", status["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal("data", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("YWJj", server.Store.Get(new("", "secrets"), new("default", "s"))!["data"]!["a"]!.GetValue<string>());
    }

    /// <summary>A ConfigMap whose JSON body is exactly <paramref name="bodyBytes"/> + 1 bytes long.</summary>
    private static JsonObject ConfigMap(string name, int bodyBytes)
    {
        var map = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = new JsonObject { ["blob"] = "" } };
        int overhead = map.ToJsonString().Length;
        map["data"]!["blob"] = new string('x', bodyBytes + 1 - overhead);
        return map;
    }
}

using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NvmeLm.ApiServer.Faults;

namespace NvmeLm.ApiServer.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public sealed class FaultAndAuditTests
{
    [Fact]
    public async Task FailNext_Should_AnswerMatchingRequestsWithStatus_ThenServeNormally()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        server.Faults.FailNext(2, 500, new RequestMatch(Verb: "create", Resource: "configmaps"));
        var configMap = new V1ConfigMap { Metadata = new() { Name = "c" } };

        var first = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(configMap, "default"));
        var second = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(configMap, "default"));
        var listed = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(configMap, "default");

        Assert.Equal(HttpStatusCode.InternalServerError, first.Response.StatusCode);
        Assert.Equal("InternalError", KubernetesJson.Deserialize<V1Status>(second.Response.Content).Reason);
        Assert.Empty(listed.Items);
        Assert.Equal("c", created.Metadata.Name);
        Assert.Equal(2, server.Faults.Injected);
    }

    [Fact]
    public async Task FailNext_Should_SendRetryAfter_When_InjectingTooManyRequests()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        server.Faults.FailNext(1, 429, new RequestMatch(Resource: "pods"));
        using var http = HttpHelpers.Client(server);

        using var response = await http.GetAsync("/api/v1/namespaces/default/pods");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task FailNext_Should_Return409Conflict_When_InjectingConflictOnUpdate()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, "default");
        server.Faults.FailNext(1, 409, new RequestMatch(Verb: "update", Name: "c"));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default"));
        var retried = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default");

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason);
        Assert.Equal("c", retried.Metadata.Name);
    }

    [Fact]
    public async Task DelayNext_Should_HoldMatchingRequest()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        server.Faults.DelayNext(1, TimeSpan.FromMilliseconds(300), new RequestMatch(Verb: "list", Resource: "secrets"));

        var watch = Stopwatch.StartNew();
        await client.CoreV1.ListNamespacedSecretAsync("default");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {watch.Elapsed}");
        var record = server.Audit.Where(r => r.Resource == "secrets").Single();
        Assert.True(record.Duration >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task Audit_Should_RecordIdentityVerbResourceAndStatus_ForEveryRequest()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var agent = server.CreateClient("node-agent/worker-1");
        await agent.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease { Metadata = new() { Name = "l" }, Spec = new() { HolderIdentity = "me" } }, "kube-node-lease");
        await Assert.ThrowsAsync<HttpOperationException>(() => agent.CoordinationV1.ReadNamespacedLeaseAsync("missing", "kube-node-lease"));

        var records = server.Audit.Where(r => r.Resource == "leases");

        Assert.Collection(records,
            create =>
            {
                Assert.Equal(("node-agent/worker-1", "create", "coordination.k8s.io", "kube-node-lease", "l", 201),
                    (create.Identity, create.Verb, create.Group, create.Namespace, create.Name, create.StatusCode));
                Assert.True(create.IsWrite);
            },
            get => Assert.Equal(("get", "missing", 404), (get.Verb, get.Name, get.StatusCode)));
    }

    [Fact]
    public async Task BearerTokens_Should_Return401_When_TokenIsUnknown()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            BearerTokens = new Dictionary<string, string> { ["s3cret"] = "admin" },
        });
        using var client = server.CreateClient();
        using var http = HttpHelpers.Client(server, identity: "wrong");

        var namespaces = await client.CoreV1.ListNamespaceAsync();
        using var refused = await http.GetAsync("/api/v1/namespaces");

        Assert.NotEmpty(namespaces.Items);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("admin", server.Audit.Snapshot()[0].Identity);
    }
}

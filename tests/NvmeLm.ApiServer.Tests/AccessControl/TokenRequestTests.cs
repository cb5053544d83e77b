using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.AccessControl;

/// <summary>TokenRequest and the service-account identities its tokens authenticate as (checked with a SelfSubjectReview, as kubectl auth whoami asks).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class TokenRequestTests
{
    [Fact]
    public async Task PodBoundToken_Should_AuthenticateAsServiceAccount_WithItsPodsNodeClaims()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        string token = await AccessControlSetup.PodTokenAsync(server, "nvme-lm", "agent", "agent-a", "node-a");
        using var admin = server.CreateClient();
        var node = await admin.CoreV1.ReadNodeAsync("node-a");
        var pod = await admin.CoreV1.ReadNamespacedPodAsync("agent-a", "nvme-lm");
        var serviceAccount = await admin.CoreV1.ReadNamespacedServiceAccountAsync("agent", "nvme-lm");
        using var agent = server.CreateClientWithToken(token);

        var whoami = await agent.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());

        var user = whoami.Status.UserInfo;
        Assert.Equal("system:serviceaccount:nvme-lm:agent", user.Username);
        Assert.Equal(serviceAccount.Metadata.Uid, user.Uid);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:nvme-lm", "system:authenticated"], user.Groups);
        Assert.Equal(["node-a"], user.Extra["authentication.kubernetes.io/node-name"]);
        Assert.Equal([node.Metadata.Uid], user.Extra["authentication.kubernetes.io/node-uid"]);
        Assert.Equal(["agent-a"], user.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal([pod.Metadata.Uid], user.Extra["authentication.kubernetes.io/pod-uid"]);
        Assert.StartsWith("JTI=", Assert.Single(user.Extra["authentication.kubernetes.io/credential-id"]));
    }

    [Fact]
    public async Task KubeConfigForToken_Should_MakeAProcessActAsThePodsServiceAccount_OverTls()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { UseTls = true });
        string token = await AccessControlSetup.PodTokenAsync(server, "nvme-lm", "agent", "agent-a", "node-a");
        string path = Path.Combine(Path.GetDirectoryName(server.KubeConfigPath)!, "agent-a.kubeconfig");
        server.WriteKubeConfigForToken(path, token);
        // As the agent process loads it (NvmeLm.Kube's KubernetesClientFactory reads kubeconfigs the same way).
        using var agent = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

        var whoami = await agent.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());

        Assert.Equal("system:serviceaccount:nvme-lm:agent", whoami.Status.UserInfo.Username);
        Assert.Equal(["node-a"], whoami.Status.UserInfo.Extra["authentication.kubernetes.io/node-name"]);
    }

    [Fact]
    public async Task TokenRequest_Should_AnswerWithExpirationAndDefaultAudience()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { TimeProvider = time });
        using var admin = server.CreateClient();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "sa" } }, "default");

        var issued = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 1200 } }, "sa", "default");

        Assert.Equal(new DateTime(2026, 12, 4, 10, 20, 0, DateTimeKind.Utc), issued.Status.ExpirationTimestamp?.ToUniversalTime());
        Assert.Equal(["https://kubernetes.default.svc.cluster.local"], issued.Spec.Audiences);
        Assert.False(string.IsNullOrEmpty(issued.Status.Token));
    }

    [Fact]
    public async Task Token_Should_Return401_When_ExpiredOrItsPodIsDeleted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { TimeProvider = time });
        string expiring = await AccessControlSetup.PodTokenAsync(server, "nvme-lm", "agent", "agent-a", "node-a");
        string podGone = await AccessControlSetup.PodTokenAsync(server, "nvme-lm", "agent", "agent-b", "node-b");
        using var admin = server.CreateClient();
        using var expiringClient = server.CreateClientWithToken(expiring);
        using var podGoneClient = server.CreateClientWithToken(podGone);
        await expiringClient.CoreV1.ListNamespaceAsync();
        await podGoneClient.CoreV1.ListNamespaceAsync();

        time.Advance(TimeSpan.FromSeconds(3601));
        await admin.CoreV1.DeleteNamespacedPodAsync("agent-b", "nvme-lm");
        var expired = await Assert.ThrowsAsync<HttpOperationException>(() => expiringClient.CoreV1.ListNamespaceAsync());
        var unbound = await Assert.ThrowsAsync<HttpOperationException>(() => podGoneClient.CoreV1.ListNamespaceAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, expired.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unbound.Response.StatusCode);
        Assert.Equal("Unauthorized", KubernetesJson.Deserialize<V1Status>(unbound.Response.Content).Reason);
    }

    [Fact]
    public async Task Token_Should_NotAuthenticate_When_RequestedForAnotherAudience()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var admin = server.CreateClient();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "sa" } }, "default");
        var issued = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = ["vault"] } }, "sa", "default");
        using var client = server.CreateClientWithToken(issued.Status.Token);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
    }

    [Theory]
    [InlineData("""{"spec":{"expirationSeconds":60}}""", "sa", 422, "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes")]
    [InlineData("""{"spec":{}}""", "missing", 404, "serviceaccounts \"missing\" not found")]
    [InlineData("""{"spec":{"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"other-sa-pod"}}}""", "sa", 400,
        "cannot bind token for serviceaccount \"sa\" to pod running with different serviceaccount name.")]
    [InlineData("""{"spec":{"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"other-sa-pod","uid":"0000"}}}""", "other", 409,
        "Operation cannot be fulfilled on Pod \"other-sa-pod\": the UID in the bound object reference (0000) does not match the UID in record. The object might have been deleted and then recreated")]
    [InlineData("""{"spec":{"boundObjectRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"d"}}}""", "sa", 400, "cannot bind token to object of type apps/v1, Kind=Deployment")]
    public async Task TokenRequest_Should_RefuseBadRequests_AsKubeDoes(string body, string serviceAccount, int code, string message)
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var admin = server.CreateClient();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "sa" } }, "default");
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "other" } }, "default");
        await admin.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new() { Name = "other-sa-pod" },
            Spec = new V1PodSpec { ServiceAccountName = "other", Containers = [new V1Container { Name = "c", Image = "c" }] },
        }, "default");
        using var http = HttpHelpers.Client(server);

        var (status, answer) = await HttpHelpers.SendAsync(http, HttpMethod.Post, $"/api/v1/namespaces/default/serviceaccounts/{serviceAccount}/token", JsonNode.Parse(body));

        Assert.Equal(code, status);
        Assert.Equal(message, answer["message"]?.GetValue<string>());
        Assert.Equal(0, server.Tokens.Count);
    }

    [Fact]
    public async Task NamedIdentities_Should_CarryConfiguredAndServiceAccountGroups()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var admin = server.CreateClient();
        using var namedServiceAccount = server.CreateClient("system:serviceaccount:nvme-lm-system:nvme-lm-operator-1");
        using var plain = server.CreateClient("someone");

        var adminUser = (await admin.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo;
        var serviceAccountUser = (await namedServiceAccount.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo;
        var plainUser = (await plain.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo;

        Assert.Equal(["system:masters", "system:authenticated"], adminUser.Groups);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:nvme-lm-system", "system:authenticated"], serviceAccountUser.Groups);
        Assert.Equal("someone", plainUser.Username);
        Assert.Equal(["system:authenticated"], plainUser.Groups);
    }
}

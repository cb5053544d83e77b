using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public sealed class ObjectSemanticsTests
{
    [Fact]
    public async Task Create_Should_AssignSystemMetadata_When_TypedClientCreatesConfigMap()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("default", created.Metadata.NamespaceProperty);
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("1", read.Data["a"]);
    }

    [Fact]
    public async Task ResourceVersion_Should_IncreaseMonotonically_When_ObjectsChange()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();

        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" } }, "default");
        var second = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "b" } }, "default");
        first.Data = new Dictionary<string, string> { ["k"] = "v" };
        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "a", "default");

        long rv1 = long.Parse(first.Metadata.ResourceVersion), rv2 = long.Parse(second.Metadata.ResourceVersion), rv3 = long.Parse(updated.Metadata.ResourceVersion);
        Assert.True(rv1 < rv2 && rv2 < rv3, $"{rv1} < {rv2} < {rv3}");
    }

    [Fact]
    public async Task Create_Should_Return409AlreadyExists_When_NameIsTaken()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "default");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "default"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal("secrets \"s\" already exists", status.Message);
    }

    [Fact]
    public async Task Replace_Should_Return409Conflict_When_ResourceVersionIsStale()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        var original = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, "default");
        var stale = await client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        original.Data = new Dictionary<string, string> { ["x"] = "1" };
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(original, "c", "default");

        stale.Data = new Dictionary<string, string> { ["x"] = "2" };
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "c", "default"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason);
    }

    [Fact]
    public async Task Read_Should_Return404NotFoundStatus_When_ObjectIsMissing()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("nope", "default"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("pods \"nope\" not found", status.Message);
        Assert.Equal(404, status.Code);
    }

    [Fact]
    public async Task Create_Should_Return404_When_NamespaceDoesNotExist()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, "missing"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Equal("namespaces \"missing\" not found", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message);
    }

    [Fact]
    public async Task Patch_Should_MergeByName_When_StrategicMergePatchUpdatesPodContainers()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new() { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Image = "a:1" }, new V1Container { Name = "b", Image = "b:1" }] },
        }, "default");

        var patched = await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"spec":{"containers":[{"name":"b","image":"b:2"}]}}""", V1Patch.PatchType.StrategicMergePatch), "p", "default");

        Assert.Equal(["a:1", "b:2"], patched.Spec.Containers.Select(c => c.Image));
    }

    [Fact]
    public async Task Patch_Should_ApplyOperations_When_JsonPatchIsSent()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"add","path":"/data/b","value":"2"},{"op":"remove","path":"/data/a"}]""", V1Patch.PatchType.JsonPatch), "c", "default");

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, patched.Data);
    }

    [Fact]
    public async Task List_Should_FilterByLabelAndFieldSelectors()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        foreach (var (name, tier) in new[] { ("a", "web"), ("b", "db"), ("c", "web") })
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = name, Labels = new Dictionary<string, string> { ["tier"] = tier } } }, "default");
        }

        var web = await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "tier in (web),!missing");
        var notWeb = await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "tier!=web");
        var byName = await client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.name=c,metadata.namespace=default");

        Assert.Equal(["a", "c"], web.Items.Select(i => i.Metadata.Name));
        Assert.Equal(["b"], notWeb.Items.Select(i => i.Metadata.Name));
        Assert.Equal(["c"], byName.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task List_Should_Page_When_LimitIsGiven()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        for (int i = 0; i < 5; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"c{i}" } }, "default");
        }

        var first = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2);
        var second = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty);
        var third = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: second.Metadata.ContinueProperty);

        Assert.Equal(["c0", "c1", "c2", "c3", "c4"], first.Items.Concat(second.Items).Concat(third.Items).Select(i => i.Metadata.Name));
        Assert.Null(third.Metadata.ContinueProperty);
    }

    [Fact]
    public async Task Delete_Should_WaitForFinalizers_Then_RemoveObject()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "f", Finalizers = ["example.com/hold"] } }, "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync("f", "default");
        var held = await client.CoreV1.ReadNamespacedConfigMapAsync("f", "default");
        Assert.NotNull(held.Metadata.DeletionTimestamp);

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "f", "default");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("f", "default"));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task GarbageCollector_Should_DeleteDependents_When_OwnerIsDeleted()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { ControllerInterval = TimeSpan.FromMilliseconds(20) });
        using var client = server.CreateClient();
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "owner" } }, "default");
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new()
            {
                Name = "dependent",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }],
            },
        }, "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default");

        await Eventually.TrueAsync(async () => (await client.CoreV1.ListNamespacedSecretAsync("default")).Items.Count == 0, "dependent secret collected");
    }

    [Fact]
    public async Task DeleteNamespace_Should_RemoveContentAndNamespace()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { ControllerInterval = TimeSpan.FromMilliseconds(20) });
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "doomed" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, "doomed");

        var terminating = await client.CoreV1.DeleteNamespaceAsync("doomed");

        await Eventually.TrueAsync(async () => !(await client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == "doomed"), "namespace removed");
        Assert.Empty((await client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.namespace=doomed")).Items);
    }
}

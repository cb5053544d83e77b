using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>kube-apiserver's size limits as the real kubectl meets them: 3 MiB per request body, 1 MiB of Secret data.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class KubectlLimitsTests : IClassFixture<KubectlClusterFixture>
{
    private readonly KubectlClusterFixture _cluster;

    public KubectlLimitsTests(KubectlClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public async Task Create_Should_Refuse413AndStoreNothing_When_BodyExceeds3MiB()
    {
        string manifest = $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: huge}}\ndata:\n  blob: {new string('x', 3_500_000)}\n";

        var create = await _cluster.Kubectl.RunAsync("create", "-f", KubectlClusterFixture.Manifest(manifest));
        var get = await _cluster.Kubectl.RunAsync("get", "configmap", "huge");

        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains("Error from server (RequestEntityTooLarge)", create.Stderr);
        Assert.Contains("Request entity too large: limit is 3145728", create.Stderr);
        Assert.Contains("NotFound", get.Stderr);
    }

    [Fact]
    public async Task CreateSecret_Should_Be422WithKubesMessage_When_DataExceeds1MiB()
    {
        string file = KubectlClusterFixture.Manifest(new string('s', 1024 * 1024 + 1));

        var create = await _cluster.Kubectl.RunAsync("create", "secret", "generic", "too-big", $"--from-file=blob={file}");
        var get = await _cluster.Kubectl.RunAsync("get", "secret", "too-big");

        Assert.NotEqual(0, create.ExitCode);
        // kubectl create secret prefixes "error: failed to create secret " to the server's message.
        Assert.Contains("Secret \"too-big\" is invalid: data: Too long: may not be more than 1048576 bytes", create.Stderr);
        Assert.Contains("NotFound", get.Stderr);
    }

    [Fact]
    public async Task CreateSecret_Should_Succeed_When_DataIsExactly1MiB()
    {
        string file = KubectlClusterFixture.Manifest(new string('s', 1024 * 1024));

        var create = await _cluster.Kubectl.RunAsync("create", "secret", "generic", "just-fits", $"--from-file=blob={file}");

        create.EnsureSuccess();
        Assert.Contains("secret/just-fits created", create.Stdout);
    }
}

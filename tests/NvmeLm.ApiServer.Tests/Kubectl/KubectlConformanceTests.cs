using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Tests.Integration;
using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>The real kubectl 1.35 against the embedded server, with the project's CRDs and samples.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class KubectlConformanceTests : IClassFixture<KubectlClusterFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);
    private readonly KubectlClusterFixture _cluster;

    public KubectlConformanceTests(KubectlClusterFixture cluster) => _cluster = cluster;

    private KubectlRunner Kubectl => _cluster.Kubectl;

    [Fact]
    public async Task ApplyCrdsAndSamples_Should_CreateEverything_And_GetShowsPrinterColumns()
    {
        _cluster.CrdApply.EnsureSuccess();
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/nvmemigrations.nvmelm.io", _cluster.CrdApply.Stdout);

        var samples = await Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.SampleDirectory);
        var get = await Kubectl.RunAsync("get", "nvmemig", "vm1-move", "-n", "default");

        samples.EnsureSuccess();
        Assert.Contains("nvmemigration.nvmelm.io/vm1-move", samples.Stdout);
        get.EnsureSuccess();
        var lines = get.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "PHASE", "SOURCE", "DESTINATION", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["vm1-move", "worker-1", "worker-2"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
    }

    [Fact]
    public async Task GetYaml_Should_ShowServerSetMetadataAndSpec()
    {
        await Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(Migration("yaml-view", "worker-1", "worker-2")));

        var yaml = (await Kubectl.RunAsync("get", "nvmemigration", "yaml-view", "-o", "yaml")).EnsureSuccess().Stdout;

        Assert.Contains("kind: NvmeMigration", yaml);
        Assert.Contains("generation: 1", yaml);
        Assert.Matches(@"uid: [0-9a-f-]{36}", yaml);
        Assert.Matches(@"resourceVersion: ""\d+""", yaml);
        Assert.Contains("node: worker-2", yaml);
    }

    [Fact]
    public async Task Explain_Should_ShowCrdFieldDescriptions()
    {
        var explain = (await Kubectl.RunAsync("explain", "nvmemigration.spec.source")).EnsureSuccess().Stdout;

        Assert.Contains("KIND:       NvmeMigration", explain);
        Assert.Contains("The VF to migrate.", explain);
        Assert.Contains("node\t<string> -required-", explain);
    }

    [Fact]
    public async Task Apply_Should_FailWithCelMessage_When_ObjectViolatesRule()
    {
        var result = await Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(Migration("same-node", "worker-1", "worker-1")));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The NvmeMigration \"same-node\" is invalid", result.Stderr);
        Assert.Contains("source.node and destination.node must differ unless allowSameNode is true", result.Stderr);
        Assert.Equal(1, (await Kubectl.RunAsync("get", "nvmemigration", "same-node")).ExitCode);
    }

    [Fact]
    public async Task Apply_Should_RejectUnknownField_When_KubectlAsksForStrictFieldValidation()
    {
        string manifest = Migration("typo", "worker-1", "worker-2").Replace("stateTransfer: Agent", "stateTransfer: Agent\n  stateTransfr: Vmm", StringComparison.Ordinal);

        var result = await Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(manifest));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown field \"spec.stateTransfr\"", result.Stderr);
    }

    [Fact]
    public async Task PatchStatus_Should_ChangeOnlyStatus_And_WaitSeesReadyCondition()
    {
        await Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(Migration("ready-one", "worker-1", "worker-2")));
        using var waiting = Kubectl.StartStreaming("wait", "--for=condition=Ready", "nvmemigration/ready-one", "--timeout=20s");

        (await Kubectl.RunAsync("patch", "nvmemigration", "ready-one", "--subresource=status", "--type=merge", "-p",
            """{"status":{"phase":"Succeeded","conditions":[{"type":"Ready","status":"True","reason":"Done","message":"ok","lastTransitionTime":"2026-01-01T00:00:00Z","observedGeneration":1}]}}""")).EnsureSuccess();

        Assert.Equal(0, await waiting.WaitForExitAsync(s_wait));
        Assert.Contains("condition met", await waiting.NextLineAsync(s_wait));
        var phase = (await Kubectl.RunAsync("get", "nvmemigration", "ready-one", "-o", "jsonpath={.status.phase}/{.metadata.generation}")).EnsureSuccess().Stdout;
        Assert.Equal("Succeeded/1", phase);
    }

    [Fact]
    public async Task GetWatch_Should_PrintNewRow_When_ObjectChanges()
    {
        await Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(Migration("watched", "worker-1", "worker-2")));
        using var watch = Kubectl.StartStreaming("get", "nvmemigration", "watched", "-w");
        Assert.StartsWith("NAME", await watch.NextLineAsync(s_wait));
        Assert.StartsWith("watched", await watch.NextLineAsync(s_wait));

        (await Kubectl.RunAsync("patch", "nvmemigration", "watched", "--subresource=status", "--type=merge", "-p", """{"status":{"phase":"PreparingSource"}}""")).EnsureSuccess();

        var changed = await watch.NextLineAsync(s_wait);
        Assert.Equal(["watched", "PreparingSource", "worker-1", "worker-2"], changed.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);
    }

    [Fact]
    public async Task Delete_Should_BlockOnFinalizer_UntilItIsRemoved()
    {
        await Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(Migration("held", "worker-1", "worker-2", finalizer: "test.nvmelm.io/hold")));
        using var deleting = Kubectl.StartStreaming("delete", "nvmemigration", "held", "--timeout=20s");
        using var client = _cluster.Server.CreateClient();
        await Eventually.TrueAsync(async () => (await ReadMigrationAsync(client, "held"))?.Metadata.DeletionTimestamp is not null, "deletionTimestamp set");
        Assert.False(deleting.HasExited, "kubectl delete must wait while the finalizer holds the object");

        (await Kubectl.RunAsync("patch", "nvmemigration", "held", "--type=json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""")).EnsureSuccess();

        Assert.Equal(0, await deleting.WaitForExitAsync(s_wait));
        Assert.Null(await ReadMigrationAsync(client, "held"));
    }

    [Fact]
    public async Task NamespacesAndNodes_Should_BeManagedLikeInACluster()
    {
        string manifest = KubectlClusterFixture.Manifest("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: team-a
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: worker-9
              labels:
                node-role.kubernetes.io/worker: ""
            status:
              conditions:
              - type: Ready
                status: "True"
              nodeInfo:
                kubeletVersion: v1.35.0
            """);

        (await Kubectl.RunAsync("apply", "-f", manifest)).EnsureSuccess();
        var nodes = (await Kubectl.RunAsync("get", "nodes", "worker-9", "--no-headers")).EnsureSuccess().Stdout;
        var ns = (await Kubectl.RunAsync("get", "ns", "team-a", "--no-headers")).EnsureSuccess().Stdout;
        (await Kubectl.RunAsync("apply", "-n", "team-a", "-f", KubectlClusterFixture.Manifest(Migration("in-team-a", "worker-1", "worker-2", ns: "team-a")))).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "ns", "team-a", "--timeout=20s")).EnsureSuccess();
        var gone = await Kubectl.RunAsync("get", "ns", "team-a");

        Assert.Equal(["worker-9", "Ready", "worker"], nodes.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        Assert.Equal(["team-a", "Active"], ns.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2]);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("namespaces \"team-a\" not found", gone.Stderr);
    }

    [Fact]
    public async Task CreateGenerators_Should_Work_When_KubectlSendsProtobuf()
    {
        (await Kubectl.RunAsync("create", "namespace", "generated")).EnsureSuccess();
        (await Kubectl.RunAsync("-n", "generated", "create", "configmap", "settings", "--from-literal=mode=fast")).EnsureSuccess();
        (await Kubectl.RunAsync("-n", "generated", "create", "secret", "generic", "creds", "--from-literal=password=hunter2")).EnsureSuccess();

        using var client = _cluster.Server.CreateClient();
        var configMap = await client.CoreV1.ReadNamespacedConfigMapAsync("settings", "generated");
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("creds", "generated");
        var secretRow = (await Kubectl.RunAsync("-n", "generated", "get", "secret", "creds", "--no-headers")).EnsureSuccess().Stdout;

        Assert.Equal("fast", configMap.Data["mode"]);
        Assert.Equal("hunter2", System.Text.Encoding.UTF8.GetString(secret.Data["password"]));
        Assert.Equal(["creds", "Opaque", "1"], secretRow.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        Assert.Null(configMap.Metadata.GenerateName);
    }

    [Fact]
    public async Task ServerSideApply_Should_CreateThenUpdate()
    {
        string first = Migration("ssa", "worker-1", "worker-2");
        string second = first.Replace("stateTransfer: Agent", "stateTransfer: Agent\n  timeoutSeconds: 120", StringComparison.Ordinal);

        (await Kubectl.RunAsync("apply", "--server-side", "-f", KubectlClusterFixture.Manifest(first))).EnsureSuccess();
        var updated = (await Kubectl.RunAsync("apply", "--server-side", "-f", KubectlClusterFixture.Manifest(second))).EnsureSuccess();
        var view = (await Kubectl.RunAsync("get", "nvmemigration", "ssa", "-o", "jsonpath={.spec.timeoutSeconds}/{.metadata.generation}")).EnsureSuccess().Stdout;

        Assert.Contains("nvmemigration.nvmelm.io/ssa serverside-applied", updated.Stdout);
        Assert.Equal("120/2", view);
    }

    [Fact]
    public async Task Tls_Should_BeVerifiedByKubectlAndClient_When_ServerUsesSelfSignedCa()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { UseTls = true });
        using var kubectl = new KubectlRunner(server.KubeConfigPath);
        using var client = server.CreateClient();

        var namespaces = (await kubectl.RunAsync("get", "namespaces", "-o", "name")).EnsureSuccess().Stdout;
        var listed = await client.CoreV1.ListNamespaceAsync();

        Assert.Equal("https", server.BaseUri.Scheme);
        Assert.Contains("namespace/default", namespaces);
        Assert.Contains(listed.Items, n => n.Metadata.Name == "kube-system");
    }

    private static async Task<MetadataOnly?> ReadMigrationAsync(Kubernetes client, string name)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<MetadataOnly>("nvmelm.io", "v1alpha1", "default", "nvmemigrations", name);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string Migration(string name, string source, string destination, string? finalizer = null, string ns = "default") => $"""
        apiVersion: nvmelm.io/v1alpha1
        kind: NvmeMigration
        metadata:
          name: {name}
          namespace: {ns}
        {(finalizer is null ? "" : $"  finalizers: [\"{finalizer}\"]")}
        spec:
          source: {"{"}node: {source}, vfAddress: "0000:01:00.2"{"}"}
          destination: {"{"}node: {destination}{"}"}
          stateTransfer: Agent
        """;
}

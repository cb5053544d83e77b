using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer;
using NvmeLm.DevCluster;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.TestSupport;

namespace NvmeLm.Images.Tests;

/// <summary>
/// The binaries inside the archives, run from the unpacked root filesystems as a runtime would (read-only root, the
/// image's non-root user, <c>/proc</c>, tmpfs volumes, a clean environment), connect with a kubeconfig to the
/// embedded API server over TLS, as to any real API server, and do their jobs: the operator takes the Lease and
/// renders a pool onto the node's NvmeNode, the agent creates its NvmeNode, reports the emulated inventory of the
/// image's sample host and applies the pool. <c>--help</c> would prove none of that.
/// </summary>
public sealed class ImageRunTests
{
    private const string Namespace = "nvme-lm";
    private const string NodeName = "image-node";
    private const string OperatorPod = "nvme-lm-operator-image-0";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Binaries_Should_LeadReconcileAndApplyAPool_When_RunFromTheImagesOverTls()
    {
        var operatorImage = await ImageBuild.GetAsync(ImageBuild.Operator);
        var agentImage = await ImageBuild.GetAsync(ImageBuild.Agent);
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { UseTls = true });
        Assert.Equal("https", server.BaseUri.Scheme);
        using var admin = server.CreateClient();
        await CrdInstaller.ApplyAsync(admin, ClusterManifests.Crds(), TimeSpan.FromSeconds(30), CancellationToken.None);
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await admin.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = NodeName, Labels = new Dictionary<string, string> { ["nvmelm.io/pool"] = "fast-local-nvme" } },
        });

        await using var operatorProcess = ChrootedProcess.Start(operatorImage.RootFs, operatorImage.User,
            [.. operatorImage.Entrypoint, "--kubeconfig=" + Kubeconfig(server, operatorImage, "operator"), "--lease-namespace=" + Namespace,
                "--state-namespace=" + Namespace, "--metrics-port=0"],
            new Dictionary<string, string> { ["POD_NAME"] = OperatorPod },
            writablePaths: []);
        await using var agentProcess = ChrootedProcess.Start(agentImage.RootFs, agentImage.User,
            [.. agentImage.Entrypoint, "run", "--node-name=" + NodeName, "--kubeconfig=" + Kubeconfig(server, agentImage, "agent"),
                "--hardware=emulated", "--emulated-config=/app/emulated-host.json", "--emulated-state=/var/lib/nvme-lm/emulated-host.state.json",
                "--journal=/var/lib/nvme-lm", "--metrics-port=0", "--no-device-plugin", "--resync-seconds=5"],
            new Dictionary<string, string>(),
            writablePaths: ["/var/lib/nvme-lm"]);
        string Logs() => $"\n--- operator:\n{operatorProcess.Output}\n--- agent:\n{agentProcess.Output}";
        var nodes = new ResourceClient<V1Alpha1NvmeNode>(admin);

        // The operator leads, with the identity a Deployment gives it (POD_NAME).
        await WaitAsync(async () => (await admin.CoordinationV1.ListNamespacedLeaseAsync(Namespace)).Items
                .Any(l => l.Metadata.Name == "nvme-lm-operator" && l.Spec.HolderIdentity == OperatorPod),
            "the operator holds the Lease", operatorProcess, agentProcess, Logs);
        // The agent creates its NvmeNode and reports the image's sample host.
        int samplePfs = EmulatedHostPfCount(agentImage);
        await WaitAsync(async () => (await nodes.TryGetAsync(NamespacedName.Cluster(NodeName), CancellationToken.None))?.Status?.PfCount == samplePfs,
            $"the agent reports the sample host's {samplePfs} PFs", operatorProcess, agentProcess, Logs);

        // The operator reconciles a pool onto the node, the agent applies it to its (emulated) hardware.
        var pool = KubernetesJson.Deserialize<V1Alpha1NvmeVfPool>(ClusterManifests.SamplePool().ToJsonString());
        await new ResourceClient<V1Alpha1NvmeVfPool>(admin).CreateAsync(pool, CancellationToken.None);
        await WaitAsync(async () => (await nodes.TryGetAsync(NamespacedName.Cluster(NodeName), CancellationToken.None))?.Status?.PhysicalFunctions?
                .Count(pf => pf.NumVfs == pool.Spec.NumVfs) == samplePfs,
            "the sample pool's VFs are enabled on every PF of the sample host", operatorProcess, agentProcess, Logs);
        // Every request came over TLS with the bearer tokens of the kubeconfigs.
        Assert.Contains(server.Audit.Snapshot(), r => r.Identity == "image-operator" && r.Resource == "nvmenodes" && r.Verb == "patch");
        Assert.Contains(server.Audit.Snapshot(), r => r.Identity == "image-agent" && r.Resource == "nvmenodes" && r.Subresource == "status");
    }

    /// <summary>Writes a kubeconfig (CA, server, the identity's token) into the image's root filesystem; returns its image path.</summary>
    private static string Kubeconfig(EmbeddedApiServer server, BuiltImage image, string who)
    {
        string imagePath = $"/etc/nvme-lm-test/{who}.kubeconfig";
        string path = image.PathOf(imagePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, KubeConfigWriter.Render(server.BaseUri, "image-" + who,
            NvmeLm.ApiServer.Http.SelfSignedCertificate.ToPem(server.ServingCertificate!)));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return imagePath;
    }

    private static int EmulatedHostPfCount(BuiltImage agent) =>
        NvmeLm.Hardware.Emulated.EmulatedHostConfig.Load(agent.PathOf("/app/emulated-host.json")).PhysicalFunctions.Count;

    /// <summary>Waits for what the processes should bring about; a process that ends, or the timeout, fails with their logs.</summary>
    private static async Task WaitAsync(Func<Task<bool>> condition, string what, ChrootedProcess first, ChrootedProcess second, Func<string> logs)
    {
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                Assert.False(first.HasExited || second.HasExited, $"a process ended while waiting for: {what}{logs()}");
                return await condition();
            }, what, s_timeout);
        }
        catch (TimeoutException e)
        {
            Assert.Fail(e.Message + logs());
        }
    }
}

using System.Globalization;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Authorization;
using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests.Installed;

/// <summary>
/// The chart installed by the real helm into the embedded API server with authentication, RBAC and
/// ValidatingAdmissionPolicy enforced (TLS, as to any real API server), on a cluster of named Nodes; then, as the
/// Deployment and DaemonSet controllers and kubelet would, the installed workloads' pods run as processes
/// (<see cref="InstalledPod"/>): the operator's replicas and one agent per node the DaemonSet selects, each with its
/// pod-bound service-account token. Nothing is granted but what the chart installed.
/// </summary>
internal sealed class InstalledSystem : IAsyncDisposable
{
    public const string Namespace = "nvme-lm";
    public const string Release = "nvme-lm";
    public const string PoolLabel = "nvmelm.io/pool";
    public const string PoolLabelValue = "fast-local-nvme";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("nvmelm-installed-");
    private readonly List<InstalledPod> _pods = [];

    private InstalledSystem(EmbeddedApiServer server)
    {
        Server = server;
        Admin = server.CreateClient();
    }

    public EmbeddedApiServer Server { get; }

    /// <summary>The cluster admin (system:masters): the test's own requests.</summary>
    public Kubernetes Admin { get; }

    public IReadOnlyList<InstalledPod> Pods => _pods;

    public string OperatorName => Release + "-operator";

    public string AgentName => Release + "-agent";

    /// <summary>Starts the enforcing server, creates <paramref name="nodes"/> (labelled for the sample pool) and runs <c>helm install</c>.</summary>
    public static async Task<InstalledSystem> InstallAsync(int helmMajor, IReadOnlyList<string> nodes, params string[] setValues)
    {
        var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            UseTls = true,
            Authorization = AuthorizationMode.Rbac,
            ValidatingAdmissionPolicy = true,
        });
        var system = new InstalledSystem(server);
        try
        {
            foreach (string node in nodes)
            {
                await system.Admin.CoreV1.CreateNodeAsync(new V1Node
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = node,
                        Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node, [PoolLabel] = PoolLabelValue },
                    },
                });
            }

            using var helm = new HelmRunner(HelmChart.HelmPath(helmMajor), server.KubeConfigPath);
            (await helm.RunAsync(["install", Release, HelmChart.ChartDirectory, "-n", Namespace, "--create-namespace",
                .. setValues.SelectMany(v => new[] { "--set", v })])).EnsureSuccess();
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the installed Deployment's replicas and one DaemonSet pod per selected node.</summary>
    public async Task StartWorkloadsAsync()
    {
        var deployment = await Admin.AppsV1.ReadNamespacedDeploymentAsync(OperatorName, Namespace);
        var daemonSet = await Admin.AppsV1.ReadNamespacedDaemonSetAsync(AgentName, Namespace);
        var nodes = (await Admin.CoreV1.ListNodeAsync()).Items;
        for (var i = 0; i < (deployment.Spec.Replicas ?? 1); i++)
        {
            // Replicas on the nodes in turn: the Deployment's anti-affinity spreads them.
            await StartPodAsync(string.Create(CultureInfo.InvariantCulture, $"{OperatorName}-7d4b9c-{i}"), nodes[i % nodes.Count].Metadata.Name,
                deployment.Spec.Template);
        }

        var selector = daemonSet.Spec.Template.Spec.NodeSelector ?? new Dictionary<string, string>();
        foreach (var node in nodes.Where(n => selector.All(s => n.Metadata.Labels?.TryGetValue(s.Key, out var v) == true && v == s.Value)))
        {
            await StartPodAsync($"{AgentName}-{node.Metadata.Name}", node.Metadata.Name, daemonSet.Spec.Template);
        }
    }

    /// <summary>
    /// A client with the token of an agent pod on <paramref name="node"/> (the DaemonSet's template, no process): what a
    /// compromised or buggy agent could send.
    /// </summary>
    public async Task<Kubernetes> AgentClientAsync(string node)
    {
        var daemonSet = await Admin.AppsV1.ReadNamespacedDaemonSetAsync(AgentName, Namespace);
        var pod = await InstalledPod.CreatePodAsync(Admin, Namespace, $"{AgentName}-{node}", node, daemonSet.Spec.Template);
        return Server.CreateClientWithToken(await PodTokens.IssueForPodAsync(Admin, Namespace, pod.Spec.ServiceAccountName, pod.Metadata.Name));
    }

    /// <summary>Waits for <paramref name="condition"/>; a pod's process that ends, a 403 to any pod, or the time limit ends the wait with the logs.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                Assert.False(_pods.Any(p => p.Process.HasExited), $"a pod's process ended while waiting for: {what}{Logs()}");
                Assert.True(Forbidden().Count == 0, $"403 while waiting for {what}: {string.Join("; ", Forbidden())}{Logs()}");
                return await condition();
            }, what, timeout);
        }
        catch (TimeoutException e)
        {
            Assert.Fail(e.Message + Logs());
        }
    }

    /// <summary>Every request of a pod's identity the API server answered with 403.</summary>
    public IReadOnlyList<string> Forbidden()
    {
        var identities = _pods.Select(p => p.Identity).ToHashSet();
        return [.. Server.Audit.Snapshot().Where(r => r.StatusCode == 403 && identities.Contains(r.Identity))
            .Select(r => $"{r.Identity} {r.Verb} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)} {r.Namespace}/{r.Name}")];
    }

    public string Logs() => string.Concat(_pods.Select(p =>
        $"\n--- {p.Name} ({string.Join(' ', p.Arguments)}):\n{p.Process.Output}{p.Process.Error}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in _pods)
        {
            await pod.DisposeAsync();
        }

        Admin.Dispose();
        await Server.DisposeAsync();
        _work.Delete(recursive: true);
    }

    private async Task StartPodAsync(string name, string node, V1PodTemplateSpec template) =>
        _pods.Add(await InstalledPod.StartAsync(Server, Admin, Namespace, name, node, template, _work.FullName));
}

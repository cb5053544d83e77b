using System.Globalization;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Emulated;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.NodeAgent.Tests.DevicePlugin;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>The built <c>nvme-lm-agent run</c> as a separate process against the embedded API server: the DaemonSet mode end to end.</summary>
[Collection(AgentCollection.Name)]
public sealed class RunProcessTests
{
    /// <summary>
    /// The kubelet stops a pod with SIGTERM; Ctrl+C sends SIGINT. A shell starts a background job with SIGINT ignored,
    /// so SIGTERM is the one signal that must always work.
    /// </summary>
    [Theory]
    [InlineData("TERM", true)]
    [InlineData("INT", false)]
    public async Task RunProcess_Should_ApplySpecServeTheDevicePluginAndExitZero_When_StartedWithEmulatedHardwareAndStoppedBySignal(string signal, bool sigintIgnored)
    {
        await using var cluster = await AgentCluster.StartAsync();
        await using KubeletSimulator kubelet = await KubeletSimulator.StartAsync();
        string directory = cluster.NewJournalDirectory();
        Directory.CreateDirectory(directory);
        string config = Path.Combine(directory, "host.json");
        await File.WriteAllTextAsync(config, AgentHosts.Config().ToJson());
        int port = FreePort();
        await using var process = ServiceProcess.StartDotnet(Path.Combine(AppContext.BaseDirectory, "nvme-lm-agent.dll"),
            ["run", "--kubeconfig", cluster.Server.KubeConfigPath, "--hardware", "emulated", "--emulated-config", config,
                "--journal", Path.Combine(directory, "journal"), "--resync-seconds", "1",
                "--device-plugin-dir", kubelet.Directory, "--pod-resources-socket", kubelet.PodResourcesSocket, "--metrics-port", port.ToString(CultureInfo.InvariantCulture)],
            sigintIgnored, new Dictionary<string, string> { ["NODE_NAME"] = "worker-9" });

        await cluster.WaitForStatusAsync("worker-9", AgentCluster.IsReady, "the process's first status");
        await cluster.UpdateSpecAsync("worker-9", spec => spec.PhysicalFunctions = [PluginNode.PoolPf(AgentHosts.MigratablePf.ToString(), 2)]);
        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("worker-9", n => AgentCluster.IsReady(n) && n.Status!.VfCount == 2, "the spec applied by the process");
        // The kubelet device plugin of the run mode, as a kubelet sees it.
        await kubelet.WaitForDevicesAsync(PluginNode.Resource, d => d.Count == 2 && d.Values.All(h => h == KubeletApi.Healthy), "the process's pool VFs");
        var allocated = await kubelet.AllocateAsync(PluginNode.Resource, AgentHosts.Vf1);
        Assert.Equal(AgentHosts.Vf1, (string?)allocated["response"]!["container_responses"]![0]!["envs"]!["PCI_RESOURCE_NVMELM_IO_MIGRATABLE-VF"]);

        Assert.Equal(2, node.Status!.MigratableVfCount);
        // The process's hardware changes are in the emulated host's state file.
        Assert.Equal(2, EmulatedHost.OpenFile(config).PhysicalFunction(AgentHosts.MigratablePf).NumVfs);

        // The DaemonSet's probes and metrics.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("controller_runtime_reconcile_total", metrics, StringComparison.Ordinal);
        Assert.Contains("workqueue_depth", metrics, StringComparison.Ordinal);

        await process.SignalAsync(signal);

        int exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"exit {exit} after SIG{signal}: {process.Error}");
        // The agent logged its own stop: it ran its shutdown, it was not cut off by the signal's default action.
        Assert.Contains("Node agent for worker-9 stopped", process.Output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

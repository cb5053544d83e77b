using System.Diagnostics;
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
    [Fact]
    public async Task RunProcess_Should_ApplySpecServeTheDevicePluginAndExitZero_When_StartedWithEmulatedHardwareAndStoppedBySigterm()
    {
        await using var cluster = await AgentCluster.StartAsync();
        await using KubeletSimulator kubelet = await KubeletSimulator.StartAsync();
        string directory = cluster.NewJournalDirectory();
        Directory.CreateDirectory(directory);
        string config = Path.Combine(directory, "host.json");
        await File.WriteAllTextAsync(config, AgentHosts.Config().ToJson());
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "nvme-lm-agent.dll"), "run", "--kubeconfig", cluster.Server.KubeConfigPath,
            "--hardware", "emulated", "--emulated-config", config, "--journal", Path.Combine(directory, "journal"), "--resync-seconds", "1",
            "--device-plugin-dir", kubelet.Directory, "--pod-resources-socket", kubelet.PodResourcesSocket,
            "--metrics-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NODE_NAME"] = "worker-9";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        try
        {
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
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{start.ArgumentList[^1]}") };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
            string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("controller_runtime_reconcile_total", metrics, StringComparison.Ordinal);
            Assert.Contains("workqueue_depth", metrics, StringComparison.Ordinal);
        }
        finally
        {
            using Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}");
        Assert.Contains("worker-9", await output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

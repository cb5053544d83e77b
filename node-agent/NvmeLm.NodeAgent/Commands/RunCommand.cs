using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Hosting;
using NvmeLm.Kube.Metrics;
using NvmeLm.NodeAgent.Agent;
using NvmeLm.NodeAgent.Cli;
using NvmeLm.NodeAgent.DevicePlugin;

namespace NvmeLm.NodeAgent.Commands;

/// <summary>
/// <c>run</c>: the DaemonSet mode. Watches this node's NvmeNode, applies its spec to the host (<c>--hardware</c>,
/// <c>--emulated-config</c>, <c>--journal</c> as for every command) and reports inventory, results and a heartbeat,
/// until SIGTERM or Ctrl+C. The node name comes from <c>--node-name</c> or <c>NODE_NAME</c> (downward API). It also serves
/// the kubelet device plugin for the node's pool VFs and reads their allocations from PodResources (<c>--no-device-plugin</c>
/// turns both off).
/// </summary>
public static class RunCommand
{
    public const string Name = "run";
    public const string NodeNameVariable = "NODE_NAME";

    public static Command Create(GlobalOptions globals)
    {
        var nodeName = new Option<string?>("--node-name") { Description = $"Kubernetes node name (default: ${NodeNameVariable})" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file (default: in-cluster config, then $KUBECONFIG / ~/.kube/config)" };
        var resync = new Option<int>("--resync-seconds") { Description = "Re-read the hardware and re-apply the spec this often", DefaultValueFactory = _ => 30 };
        var heartbeat = new Option<int>("--heartbeat-seconds") { Description = "Write the status heartbeat at least this often", DefaultValueFactory = _ => 60 };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Port for /healthz, /readyz and /metrics on all addresses (0: any free port)", DefaultValueFactory = _ => 8081 };
        var devicePluginDir = new Option<string>("--device-plugin-dir")
        {
            Description = "Kubelet device plugin directory: kubelet.sock and the plugin's sockets",
            DefaultValueFactory = _ => KubeletApi.DefaultDevicePluginDirectory,
        };
        var podResourcesSocket = new Option<string>("--pod-resources-socket")
        {
            Description = "Kubelet PodResources socket the VF allocations are read from (\"\": do not track allocations)",
            DefaultValueFactory = _ => KubeletApi.DefaultPodResourcesSocket,
        };
        var noDevicePlugin = new Option<bool>("--no-device-plugin") { Description = "Serve no kubelet device plugin and track no allocations" };
        var command = new Command(Name, "Run the node agent: reconcile this node's NvmeNode against the host until stopped")
        {
            nodeName,
            kubeconfig,
            resync,
            heartbeat,
            metricsPort,
            devicePluginDir,
            podResourcesSocket,
            noDevicePlugin,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, globals, (session, stop) => ExecuteAsync(session, parse.GetValue(nodeName),
            parse.GetValue(kubeconfig), parse.GetValue(resync), parse.GetValue(heartbeat), parse.GetValue(metricsPort),
            DevicePlugin(parse.GetValue(noDevicePlugin), parse.GetValue(devicePluginDir)!, parse.GetValue(podResourcesSocket)!), stop), cancellationToken));
        return command;
    }

    private static DevicePluginSettings? DevicePlugin(bool disabled, string directory, string podResourcesSocket)
    {
        if (disabled)
        {
            return null;
        }

        if (!Path.IsPathRooted(directory) || (podResourcesSocket.Length > 0 && !Path.IsPathRooted(podResourcesSocket)))
        {
            throw new UsageException($"--device-plugin-dir and --pod-resources-socket must be absolute paths, not '{directory}' and '{podResourcesSocket}'");
        }

        return new DevicePluginSettings { Directory = directory, PodResourcesSocket = podResourcesSocket.Length == 0 ? null : podResourcesSocket };
    }

    /// <param name="stop">System.CommandLine's token: cancelled by SIGTERM or SIGINT (see <see cref="AgentCli.RunAsync"/>).</param>
    private static async Task<int> ExecuteAsync(
        CliSession session, string? nodeName, string? kubeconfig, int resyncSeconds, int heartbeatSeconds, int metricsPort, DevicePluginSettings? devicePlugin,
        CancellationToken stop)
    {
        nodeName ??= Environment.GetEnvironmentVariable(NodeNameVariable);
        if (string.IsNullOrEmpty(nodeName))
        {
            throw new UsageException($"the node name is required: --node-name NAME or ${NodeNameVariable} (downward API spec.nodeName)");
        }

        if (resyncSeconds < 1 || heartbeatSeconds < 1)
        {
            throw new UsageException("--resync-seconds and --heartbeat-seconds must be at least 1");
        }

        if (metricsPort is < 0 or > 65535)
        {
            throw new UsageException($"--metrics-port must be 0-65535, not {metricsPort}");
        }

        using ILoggerFactory loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(session.Verbose ? LogLevel.Debug : LogLevel.Information)
            .AddSimpleConsole(o => o.SingleLine = true));
        using var kubernetes = KubernetesClientFactory.Create(kubeconfig);
        var options = new NodeAgentOptions
        {
            NodeName = nodeName,
            Kubernetes = kubernetes,
            Hardware = session.Hardware,
            JournalDirectory = session.Journal.Directory,
            ResyncPeriod = TimeSpan.FromSeconds(resyncSeconds),
            HeartbeatPeriod = TimeSpan.FromSeconds(heartbeatSeconds),
            LoggerFactory = loggers,
            Metrics = KubeMetrics.Default,
            DevicePlugin = devicePlugin,
        };
        return await RunAsync(options, metricsPort, stop).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(NodeAgentOptions options, int metricsPort, CancellationToken stop)
    {
        try
        {
            return await ServeAsync(options, metricsPort, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while starting (the NvmeNode bootstrap or the HTTP endpoint): a clean stop all the same.
            return ExitCodes.Success;
        }
    }

    private static async Task<int> ServeAsync(NodeAgentOptions options, int metricsPort, CancellationToken stop)
    {
        await using NodeAgentHost agent = await NodeAgentHost.StartAsync(options, stop).ConfigureAwait(false);
        // The DaemonSet's probes: ready once the agent's NvmeNode informer has synced; /metrics with the
        // controller-runtime names of the shared runtime.
        var health = new HealthChecks();
        health.AddReadiness("nvmenode-informer", () => agent.HasSynced);
        await using OperatorHttpServer http = await OperatorHttpServer.StartAsync(
            new OperatorHttpServerOptions { Port = metricsPort, Address = IPAddress.Any }, health, KubeMetrics.Default, stop).ConfigureAwait(false);
        Task stopped = Task.Delay(Timeout.Infinite, stop);
        Task first = await Task.WhenAny(stopped, agent.Completion).ConfigureAwait(false);
        if (first == agent.Completion)
        {
            // The informer and controller only end on stop; ending early is a fault, surfaced by awaiting it.
            await agent.Completion.ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }
}

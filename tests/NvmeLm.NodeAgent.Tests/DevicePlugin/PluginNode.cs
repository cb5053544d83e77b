using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Emulated;
using NvmeLm.NodeAgent.Agent;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.NodeAgent.Tests.Agent;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.DevicePlugin;

/// <summary>
/// One emulated node whose agent serves the device plugin to a simulated kubelet (Python grpcio): the embedded API
/// server, the emulated host, the agent with its device plugin and PodResources sockets in the simulator's directories.
/// </summary>
internal sealed class PluginNode : IAsyncDisposable
{
    public const string NodeName = "worker-1";
    public const string Resource = "nvmelm.io/migratable-vf";

    private PluginNode(AgentCluster cluster, KubeletSimulator kubelet, EmulatedHost host, NodeAgentHost agent)
    {
        Cluster = cluster;
        Kubelet = kubelet;
        Host = host;
        Agent = agent;
    }

    public AgentCluster Cluster { get; }

    public KubeletSimulator Kubelet { get; }

    public EmulatedHost Host { get; }

    public NodeAgentHost Agent { get; }

    public static async Task<PluginNode> StartAsync()
    {
        AgentCluster cluster = await AgentCluster.StartAsync();
        KubeletSimulator kubelet = await KubeletSimulator.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        NodeAgentHost agent = await cluster.StartAgentAsync(cluster.Options(NodeName, host, cluster.NewJournalDirectory()) with
        {
            DevicePlugin = new DevicePluginSettings
            {
                Directory = kubelet.Directory,
                PodResourcesSocket = kubelet.PodResourcesSocket,
                SocketCheckPeriod = TimeSpan.FromMilliseconds(100),
            },
            PodResourcesPollPeriod = TimeSpan.FromMilliseconds(200),
        });
        return new PluginNode(cluster, kubelet, host, agent);
    }

    /// <summary>Started, with two pool VFs of <c>AgentHosts.MigratablePf</c> listed healthy by the kubelet.</summary>
    public static async Task<PluginNode> StartWithPoolAsync()
    {
        PluginNode node = await StartAsync();
        await node.ApplyAsync(PoolPf(AgentHosts.MigratablePf.ToString(), 2));
        await node.WaitForDevicesAsync("both pool VFs listed healthy", (AgentHosts.Vf1, KubeletApi.Healthy), (AgentHosts.Vf2, KubeletApi.Healthy));
        return node;
    }

    /// <summary><paramref name="pf"/> with VF <paramref name="vfNumber"/> held by the migration <paramref name="uid"/>.</summary>
    public static PhysicalFunctionSpec Hold(PhysicalFunctionSpec pf, int vfNumber, SecondaryRole role, string uid)
    {
        SecondaryControllerSpec secondary = pf.Secondaries!.Single(s => s.VfNumber == vfNumber);
        secondary.Role = role;
        secondary.OwnerUid = uid;
        return pf;
    }

    /// <summary>A pool layout on <paramref name="pf"/>: <paramref name="vfs"/> VFs on vfio-pci advertised as <see cref="Resource"/>.</summary>
    public static PhysicalFunctionSpec PoolPf(string pf, int vfs, string resource = Resource) => new()
    {
        Address = pf,
        NumVfs = vfs,
        Pool = "fast",
        ResourceName = resource,
        Secondaries = Enumerable.Range(1, vfs)
            .Select(vf => new SecondaryControllerSpec { VfNumber = vf, Queues = 2, Interrupts = 1, Driver = "vfio-pci" })
            .ToList(),
    };

    public Task ApplyAsync(params PhysicalFunctionSpec[] pfs) =>
        Cluster.UpdateSpecAsync(NodeName, spec => spec.PhysicalFunctions = pfs.ToList());

    /// <summary>Waits until ListAndWatch has sent exactly these health values (ID → Healthy/Unhealthy).</summary>
    public Task<IReadOnlyDictionary<string, string>> WaitForDevicesAsync(string what, params (string Id, string Health)[] expected) =>
        Kubelet.WaitForDevicesAsync(Resource, devices => devices.Count == expected.Length
            && expected.All(e => devices.TryGetValue(e.Id, out string? health) && health == e.Health), what);

    /// <summary>The causes the agent's last sync found for one VF.</summary>
    public VfUnhealthyCauses CausesOf(string vf) =>
        Agent.Devices.Snapshot.DevicesOf(Resource).Single(d => d.Id == vf).Unhealthy;

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Kubelet.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.NodeAgent.DevicePlugin.Allocations;
using NvmeLm.NodeAgent.DevicePlugin.Protocol.V1Beta1;

namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>
/// Stands in for the kubelet's device manager on simulated nodes: a launcher pod asking for a resource gets one VF,
/// chosen the way the kubelet does with our plugin — the available (Healthy, not yet allocated) devices are handed to
/// the plugin's <see cref="PreferredAllocator"/>, whose first choice is taken, and <see cref="AllocationResponder"/>
/// must accept it. The devices are what the node's agent would advertise, rebuilt from its NvmeNode with
/// <see cref="DeviceSnapshotBuilder"/> (so a <c>handToTargetPod</c> reservation is offered first, as on a real node).
/// What it allocated is served per node as PodResources (<see cref="PodResourcesOf"/>), the path the agent reads, and
/// it answers the agent's pod UID look-ups (the simulated launcher pods are not API objects).
/// </summary>
public sealed class SimulatedKubelet(ResourceClient<V1Alpha1NvmeNode> nodes) : IPodUidResolver
{
    /// <summary>How often the demo's agents list these PodResources (in memory, so cheap; a real agent polls every 10 s).</summary>
    public static readonly TimeSpan PodResourcesPollPeriod = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, InMemoryPodResourcesSource> _podResources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (LauncherPod Pod, string Vf)> _allocations = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the first available VF that is NOT the plugin's preference: what a pod racing the target pod for the
    /// reserved VF, or a kubelet that ignores preferences, causes. For tests of the operator's verification.
    /// </summary>
    public bool IgnorePreference { get; set; }

    /// <summary>The PodResources answer of <paramref name="node"/> (set as the agent's <c>PodResources</c> source).</summary>
    public InMemoryPodResourcesSource PodResourcesOf(string node) => _podResources.GetOrAdd(node, _ => new InMemoryPodResourcesSource());

    /// <summary>Allocates one VF of the pod's resource on its node and returns its address.</summary>
    public async Task<string> AllocateAsync(LauncherPod pod, CancellationToken cancellationToken)
    {
        var node = await nodes.GetAsync(NamespacedName.Cluster(pod.Node), cancellationToken).ConfigureAwait(false);
        var devices = DeviceSnapshotBuilder.Build(node.Spec, new HashSet<string>(), [.. node.Status?.PhysicalFunctions ?? []], new HashSet<string>(),
            _ => true, DeviceSnapshot.Empty).DevicesOf(pod.ResourceName);
        string chosen;
        lock (_allocations)
        {
            var taken = _allocations.Values.Where(a => a.Pod.Node == pod.Node).Select(a => a.Vf).ToHashSet(StringComparer.Ordinal);
            var available = devices.Where(d => d.Healthy && !taken.Contains(d.Id)).Select(d => d.Id).ToList();
            if (available.Count == 0)
            {
                throw new InvalidOperationException($"no free healthy device of {pod.ResourceName} on {pod.Node} for pod {pod.Namespace}/{pod.Name}");
            }

            var inUsePerPf = devices.Where(d => taken.Contains(d.Id)).GroupBy(d => d.Pf).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var request = new PreferredAllocationRequest();
            request.ContainerRequests.Add(new ContainerPreferredAllocationRequest { AvailableDeviceIDs = { available }, AllocationSize = 1 });
            var preferred = PreferredAllocator.Choose(devices, inUsePerPf, request).ContainerResponses[0].DeviceIDs[0];
            chosen = IgnorePreference
                ? available.FirstOrDefault(id => id != preferred)
                    ?? throw new InvalidOperationException($"only the preferred device {preferred} of {pod.ResourceName} is free on {pod.Node}")
                : preferred;
            var allocate = new AllocateRequest();
            allocate.ContainerRequests.Add(new ContainerAllocateRequest { DevicesIds = { chosen } });
            AllocationResponder.Respond(pod.ResourceName, devices, allocate, _ => []);
            _allocations[pod.Uid] = (pod, chosen);
            Publish(pod.Node);
        }

        return chosen;
    }

    /// <summary>The pod ended: its VF is free again. Returns the VF it had, if any.</summary>
    public string? Release(LauncherPod pod)
    {
        lock (_allocations)
        {
            if (!_allocations.Remove(pod.Uid, out var allocation))
            {
                return null;
            }

            Publish(pod.Node);
            return allocation.Vf;
        }
    }

    public Task<string?> ResolveAsync(string @namespace, string pod, CancellationToken cancellationToken)
    {
        lock (_allocations)
        {
            return Task.FromResult(_allocations.Values.FirstOrDefault(a => a.Pod.Namespace == @namespace && a.Pod.Name == pod).Pod?.Uid);
        }
    }

    private void Publish(string node) => PodResourcesOf(node).Set(_allocations.Values
        .Where(a => a.Pod.Node == node)
        .Select(a => new PodDevices(a.Pod.Namespace, a.Pod.Name, "compute", a.Pod.ResourceName, [a.Vf])));
}

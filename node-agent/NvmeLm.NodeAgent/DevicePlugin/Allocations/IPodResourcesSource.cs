namespace NvmeLm.NodeAgent.DevicePlugin.Allocations;

/// <summary>
/// Where the agent learns which container has which device: the kubelet's PodResources API on a node
/// (<see cref="KubeletPodResourcesSource"/>); the in-process simulated cluster feeds <see cref="InMemoryPodResourcesSource"/>.
/// </summary>
public interface IPodResourcesSource
{
    /// <summary>Every container's device assignments now.</summary>
    Task<IReadOnlyList<PodDevices>> ListAsync(CancellationToken cancellationToken);
}

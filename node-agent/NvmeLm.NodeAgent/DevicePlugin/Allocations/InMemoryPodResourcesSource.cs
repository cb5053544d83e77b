namespace NvmeLm.NodeAgent.DevicePlugin.Allocations;

/// <summary>
/// Allocations set by the caller: the seam through which the in-process simulated cluster (many agents, no kubelet)
/// says which pod holds which VF. Nodes that run a kubelet use <see cref="KubeletPodResourcesSource"/>.
/// </summary>
public sealed class InMemoryPodResourcesSource : IPodResourcesSource
{
    private readonly object _gate = new();
    private List<PodDevices> _pods = [];

    public void Set(IEnumerable<PodDevices> pods)
    {
        lock (_gate)
        {
            _pods = pods.ToList();
        }
    }

    public Task<IReadOnlyList<PodDevices>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PodDevices>>(_pods.ToList());
        }
    }
}

using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Pci;
using NvmeLm.NodeAgent.Agent;
using NvmeLm.NodeAgent.DevicePlugin.Allocations;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// The agent's bridge to workloads (seed step 5, DESIGN §4.2): each sync publishes the node's pool VFs here; the
/// kubelet device plugin (when configured) advertises them, and the allocation tracker (when a PodResources source is
/// configured) says which container has which VF, for <c>allocatedTo</c> in the NvmeNode status. Either may be absent:
/// the in-process simulated cluster runs agents without a kubelet, feeding allocations through an in-memory source.
/// </summary>
public sealed class WorkloadDevices : IDeviceAllocationObserver
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<PodAllocation>> s_none = new Dictionary<string, IReadOnlyList<PodAllocation>>();

    private WorkloadDevices(PodAllocationTracker? tracker)
    {
        Tracker = tracker;
    }

    /// <summary>The kubelet device plugin, or null when the agent was started without <see cref="NodeAgentOptions.DevicePlugin"/>.</summary>
    public DevicePluginManager? Plugin { get; private set; }

    /// <summary>The allocation tracker, or null when there is no PodResources source.</summary>
    public PodAllocationTracker? Tracker { get; }

    /// <summary>What the last sync found.</summary>
    public DeviceSnapshot Snapshot { get; private set; } = DeviceSnapshot.Empty;

    public IReadOnlyDictionary<string, IReadOnlyList<PodAllocation>> Allocations => Tracker?.Allocations ?? s_none;

    public long AllocationsVersion => Tracker?.Version ?? 0;

    public static WorkloadDevices Create(NodeAgentOptions options, ILogger logger)
    {
        IPodResourcesSource? source = options.PodResources
            ?? (options.DevicePlugin?.PodResourcesSocket is { } socket ? new KubeletPodResourcesSource(socket, options.DevicePlugin.KubeletCallTimeout) : null);
        PodAllocationTracker? tracker = source is null ? null
            : new PodAllocationTracker(source, options.PodUids ?? new ApiPodUidResolver(options.Kubernetes), options.PodResourcesPollPeriod, logger);
        var devices = new WorkloadDevices(tracker);
        if (options.DevicePlugin is { } settings)
        {
            var sysfs = new SriovSysfs(options.Hardware.Files);
            devices.Plugin = new DevicePluginManager(settings, devices,
                vf => PciAddress.TryParse(vf, out PciAddress address) ? sysfs.VfioCdevs(address) : [], logger);
        }

        return devices;
    }

    public void Publish(DeviceSnapshot snapshot)
    {
        Snapshot = snapshot;
        Tracker?.Track(snapshot);
        Plugin?.Publish(snapshot);
    }

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        Plugin?.RunAsync(cancellationToken) ?? Task.CompletedTask,
        Tracker?.RunAsync(cancellationToken) ?? Task.CompletedTask);

    public void Allocated(string resourceName, IReadOnlyList<string> deviceIds) => Tracker?.Allocated(resourceName, deviceIds);

    public IReadOnlyDictionary<string, int> InUsePerPf() => Tracker?.InUsePerPf() ?? new Dictionary<string, int>();
}

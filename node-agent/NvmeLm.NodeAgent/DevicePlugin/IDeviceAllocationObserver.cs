namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>What the plugin tells about allocations: an Allocate was answered, and how many VFs per PF are in use.</summary>
public interface IDeviceAllocationObserver
{
    /// <summary>The kubelet was just given these devices: PodResources will show them soon.</summary>
    void Allocated(string resourceName, IReadOnlyList<string> deviceIds);

    /// <summary>VFs in use per PF address, for spreading (from PodResources).</summary>
    IReadOnlyDictionary<string, int> InUsePerPf();
}

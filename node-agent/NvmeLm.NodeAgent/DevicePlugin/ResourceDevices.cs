namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// The current devices of one resource, shared by its gRPC calls: ListAndWatch waits on <see cref="Watch"/>'s task,
/// which completes when the kubelet-visible list (IDs and health) changes or the resource is withdrawn.
/// </summary>
public sealed class ResourceDevices(string resourceName)
{
    private readonly object _gate = new();
    private IReadOnlyList<VfDevice> _devices = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _withdrawn;

    public string ResourceName { get; } = resourceName;

    public IReadOnlyList<VfDevice> Devices
    {
        get
        {
            lock (_gate)
            {
                return _devices;
            }
        }
    }

    /// <summary>The devices now, a task that completes on the next change, and whether the resource was withdrawn.</summary>
    public (IReadOnlyList<VfDevice> Devices, Task Changed, bool Withdrawn) Watch()
    {
        lock (_gate)
        {
            return (_devices, _changed.Task, _withdrawn);
        }
    }

    /// <summary>Replaces the list; true when the kubelet must be told (an ID or a health changed).</summary>
    public bool Update(IReadOnlyList<VfDevice> devices)
    {
        TaskCompletionSource? signal = null;
        bool visible;
        lock (_gate)
        {
            visible = !KubeletView(_devices).SequenceEqual(KubeletView(devices));
            _devices = devices;
            if (visible)
            {
                signal = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        signal?.SetResult();
        return visible;
    }

    /// <summary>No pool uses the resource any more: open ListAndWatch streams end.</summary>
    public void Withdraw()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _withdrawn = true;
            signal = _changed;
        }

        signal.TrySetResult();
    }

    private static IEnumerable<(string, string)> KubeletView(IReadOnlyList<VfDevice> devices) => devices.Select(d => (d.Id, d.Health));
}

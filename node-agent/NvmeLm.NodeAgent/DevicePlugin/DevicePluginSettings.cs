namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// Where the agent's kubelet device plugin lives: the device plugin directory (the kubelet's Registration socket
/// and ours), and the kubelet's PodResources socket it reads allocations from. Tests and the QEMU e2e point both
/// at a directory of their own and run a kubelet (simulator) there.
/// </summary>
public sealed record DevicePluginSettings
{
    /// <summary>Directory of <c>kubelet.sock</c> and of the plugin's sockets (a hostPath in the DaemonSet).</summary>
    public string Directory { get; init; } = KubeletApi.DefaultDevicePluginDirectory;

    /// <summary>The kubelet's PodResources socket; null: allocations are not tracked.</summary>
    public string? PodResourcesSocket { get; init; } = KubeletApi.DefaultPodResourcesSocket;

    /// <summary>How often the plugin checks that its sockets and the kubelet's are still there (a restarting kubelet deletes them).</summary>
    public TimeSpan SocketCheckPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Deadline of one call to the kubelet (Register, List).</summary>
    public TimeSpan KubeletCallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string KubeletSocket => Path.Combine(Directory, KubeletApi.KubeletSocketName);

    /// <summary>The plugin's socket file name for <paramref name="resourceName"/> (<c>RegisterRequest.endpoint</c>): one socket per resource.</summary>
    public static string EndpointFor(string resourceName) => "nvme-lm-" + resourceName.Replace('/', '_') + ".sock";

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Directory);
        if (SocketCheckPeriod <= TimeSpan.Zero || KubeletCallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SocketCheckPeriod), "device plugin periods and timeouts must be positive");
        }
    }
}

namespace NvmeLm.NodeAgent.DevicePlugin.Allocations;

/// <summary>A pod's UID by namespace and name (PodResources does not report it).</summary>
public interface IPodUidResolver
{
    /// <summary>The UID, or null when the pod cannot be read (gone, or not permitted).</summary>
    Task<string?> ResolveAsync(string @namespace, string pod, CancellationToken cancellationToken);
}

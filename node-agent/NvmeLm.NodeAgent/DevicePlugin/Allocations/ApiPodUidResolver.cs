using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NvmeLm.NodeAgent.DevicePlugin.Allocations;

/// <summary>Reads the pod from the API server (the agent's ClusterRole needs <c>pods: get</c>).</summary>
public sealed class ApiPodUidResolver(Kubernetes client) : IPodUidResolver
{
    public async Task<string?> ResolveAsync(string @namespace, string pod, CancellationToken cancellationToken)
    {
        try
        {
            V1Pod found = await client.CoreV1.ReadNamespacedPodAsync(pod, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return found.Metadata?.Uid;
        }
        catch (HttpOperationException)
        {
            return null;
        }
    }
}

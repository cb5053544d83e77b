using k8s.Models;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>Creates the agent's NvmeNode with an empty spec when it does not exist; the operator renders pools into it.</summary>
public static class NodeBootstrap
{
    public static async Task<V1Alpha1NvmeNode> EnsureNodeAsync(ResourceClient<V1Alpha1NvmeNode> nodes, string nodeName, ILogger logger, CancellationToken cancellationToken)
    {
        var key = NamespacedName.Cluster(nodeName);
        if (await nodes.TryGetAsync(key, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        try
        {
            V1Alpha1NvmeNode created = await nodes.CreateAsync(new V1Alpha1NvmeNode { Metadata = new V1ObjectMeta { Name = nodeName } }, cancellationToken)
                .ConfigureAwait(false);
            AgentLog.NodeCreated(logger, nodeName);
            return created;
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            // Created concurrently (the operator, or a previous agent instance): use that one.
            return await nodes.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }
}

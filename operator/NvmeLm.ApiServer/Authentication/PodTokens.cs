using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NvmeLm.ApiServer.Authentication;

/// <summary>
/// A service-account token for "a pod on node X", obtained as kubelet obtains one: the namespace, service account,
/// Node and a Pod with <c>spec.nodeName</c> exist, and a TokenRequest bound to that pod returns the token. Its user
/// info carries the pod and node claims (<c>authentication.kubernetes.io/node-name</c>, …), so policies and RBAC see
/// the identity an in-cluster agent has. For tests of an installed system, which have no kubelet to do this.
/// </summary>
public static class PodTokens
{
    /// <param name="admin">A client allowed to create namespaces, service accounts, nodes, pods and tokens.</param>
    /// <returns>The token; use it with <see cref="EmbeddedApiServer.CreateClientWithToken"/>.</returns>
    public static async Task<string> IssueAsync(Kubernetes admin, string namespaceName, string serviceAccount, string podName, string nodeName,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        await CreateIfMissingAsync(() => admin.CoreV1.CreateNamespaceAsync(
            new V1Namespace { Metadata = new() { Name = namespaceName } }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await CreateIfMissingAsync(() => admin.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new() { Name = serviceAccount } }, namespaceName, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await CreateIfMissingAsync(() => admin.CoreV1.CreateNodeAsync(
            new V1Node { Metadata = new() { Name = nodeName } }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await admin.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new() { Name = podName },
            Spec = new V1PodSpec { NodeName = nodeName, ServiceAccountName = serviceAccount, Containers = [new V1Container { Name = podName, Image = podName }] },
        }, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await IssueForPodAsync(admin, namespaceName, serviceAccount, podName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The token kubelet requests for an existing pod's projected service-account volume (a TokenRequest bound to the pod).</summary>
    public static async Task<string> IssueForPodAsync(Kubernetes admin, string namespaceName, string serviceAccount, string podName,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var issued = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec { BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = podName } },
        }, serviceAccount, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
        return issued.Status.Token;
    }

    private static async Task CreateIfMissingAsync(Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there: another pod of the same service account or on the same node.
        }
    }
}

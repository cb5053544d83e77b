using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;

namespace NvmeLm.Charts.Tests.Installed;

/// <summary>
/// What the installed chart denies an agent pod (issue 13 §3, the negative tests), with helm 4 and helm 3 installs
/// into the enforcing API server: the admission policy refuses a write to another node's NvmeNode that RBAC allows,
/// and RBAC refuses a Secret outside the agent's grant. Each denial is shown beside the allowed twin request, so it
/// is the rule that denies, not a broken identity.
/// </summary>
public sealed class InstalledAccessTests
{
    private static readonly string[] s_nodes = ["worker-1", "worker-2"];

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public async Task AgentOfOneNode_Should_BeDeniedByTheInstalledPolicy_When_WritingAnotherNodesNvmeNode(int helmMajor)
    {
        await using var system = await InstalledSystem.InstallAsync(helmMajor, s_nodes, "agent.hardware=emulated");
        using var agentOfWorker1 = await system.AgentClientAsync(s_nodes[0]);
        using var agentOfWorker2 = await system.AgentClientAsync(s_nodes[1]);
        await new ResourceClient<V1Alpha1NvmeNode>(agentOfWorker1).CreateAsync(NvmeNode(s_nodes[0]), CancellationToken.None);
        await new ResourceClient<V1Alpha1NvmeNode>(agentOfWorker2).CreateAsync(NvmeNode(s_nodes[1]), CancellationToken.None);
        var patch = new V1Patch("""{"status":{"lastSyncError":"forged"}}""", V1Patch.PatchType.MergePatch);

        await agentOfWorker1.CustomObjects.PatchClusterCustomObjectStatusAsync(patch, "nvmelm.io", "v1alpha1", "nvmenodes", s_nodes[0]);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            agentOfWorker1.CustomObjects.PatchClusterCustomObjectStatusAsync(patch, "nvmelm.io", "v1alpha1", "nvmenodes", s_nodes[1]));

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Equal($"nvmenodes.nvmelm.io \"worker-2\" is forbidden: ValidatingAdmissionPolicy '{system.AgentName}-own-node' with binding "
            + $"'{system.AgentName}-own-node' denied request: the node agent of node worker-1 may change only the NvmeNode worker-1, not worker-2",
            StatusMessage(error));
        var stored = await new ResourceClient<V1Alpha1NvmeNode>(system.Admin).GetAsync(NamespacedName.Cluster(s_nodes[1]), CancellationToken.None);
        Assert.Null(stored.Status?.LastSyncError);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public async Task Agent_Should_Get403_When_ReadingASecretOutsideItsGrant(int helmMajor)
    {
        await using var system = await InstalledSystem.InstallAsync(helmMajor, s_nodes, "agent.hardware=emulated");
        await system.Admin.CoreV1.CreateNamespacedSecretAsync(Secret("state-of-a-migration"), InstalledSystem.Namespace);
        await system.Admin.CoreV1.CreateNamespacedSecretAsync(Secret("someone-elses"), "kube-system");
        using var agent = await system.AgentClientAsync(s_nodes[0]);

        await agent.CoreV1.ReadNamespacedSecretAsync("state-of-a-migration", InstalledSystem.Namespace);
        var outside = await Assert.ThrowsAsync<HttpOperationException>(() => agent.CoreV1.ReadNamespacedSecretAsync("someone-elses", "kube-system"));
        var listing = await Assert.ThrowsAsync<HttpOperationException>(() => agent.CoreV1.ListNamespacedSecretAsync(InstalledSystem.Namespace));

        string user = $"system:serviceaccount:{InstalledSystem.Namespace}:{system.AgentName}";
        Assert.Equal(HttpStatusCode.Forbidden, outside.Response.StatusCode);
        Assert.Equal($"secrets \"someone-elses\" is forbidden: User \"{user}\" cannot get resource \"secrets\" in API group \"\" in the namespace \"kube-system\"",
            StatusMessage(outside));
        Assert.Equal(HttpStatusCode.Forbidden, listing.Response.StatusCode);
        Assert.Equal($"secrets is forbidden: User \"{user}\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{InstalledSystem.Namespace}\"",
            StatusMessage(listing));
    }

    private static V1Alpha1NvmeNode NvmeNode(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    private static V1Secret Secret(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        StringData = new Dictionary<string, string> { ["state"] = "opaque" },
    };

    private static string StatusMessage(HttpOperationException error) => KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message;
}

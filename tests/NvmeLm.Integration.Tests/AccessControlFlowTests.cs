using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// The system under enforcement (<see cref="SimulatedClusterOptions.AccessControl"/>): with the chart's grants the
/// operator and agents migrate a VF without a single 403, and the admission policy keeps an agent to its own node.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AccessControlFlowTests
{
    [Fact]
    public async Task Migration_Should_Succeed_WithoutA403_When_RbacAndThePolicyAreEnforced()
    {
        await using var cluster = await TestClusters.StartProvisionedAsync(TestClusters.Options() with { AccessControl = true });
        var vf = (await cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        await cluster.CreateMigrationAsync("enforced", "worker-1", vf, "worker-2");

        var migration = await cluster.WaitForTerminalAsync("enforced", TestClusters.MigrationTimeout);

        Assert.Equal(MigrationPhase.Succeeded, migration.Status!.Phase);
        var forbidden = cluster.Server.Audit.Where(r => r.StatusCode == 403)
            .Select(r => $"{r.Identity} {r.Verb} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)} {r.Namespace}/{r.Name}");
        Assert.Empty(forbidden);
    }

    [Fact]
    public async Task Agent_Should_BeDenied_When_PatchingAnotherNodesNvmeNodeStatus()
    {
        await using var cluster = await TestClusters.StartProvisionedAsync(TestClusters.Options() with { AccessControl = true });
        using var agentOfWorker1 = cluster.Server.CreateClient(SimulatedNode.AgentIdentity("worker-1"));
        var patch = new V1Patch("""{"status":{"lastSyncError":"forged"}}""", V1Patch.PatchType.MergePatch);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            agentOfWorker1.CustomObjects.PatchClusterCustomObjectStatusAsync(patch, "nvmelm.io", "v1alpha1", "nvmenodes", "worker-2"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal("nvmenodes.nvmelm.io \"worker-2\" is forbidden: ValidatingAdmissionPolicy 'nvme-lm-agent-own-node' with binding 'nvme-lm-agent-own-node' denied request: agent system:node:worker-1 may only change the NvmeNode of its own node",
            KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message);
    }
}

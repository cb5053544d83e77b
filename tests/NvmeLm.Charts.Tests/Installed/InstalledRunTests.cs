using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;

namespace NvmeLm.Charts.Tests.Installed;

/// <summary>
/// The system run from what helm installed (issue 13 §3): the chart (emulated hardware) installed into an API server
/// that enforces the installed RBAC and admission policy; the operator and one agent per node run with the installed
/// objects' arguments, environment and pod-bound service-account identities; a VF migrates between the nodes with not
/// one 403.
/// </summary>
public sealed class InstalledRunTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(4);
    private static readonly string[] s_nodes = ["worker-1", "worker-2"];

    [Fact]
    public async Task Migration_Should_Succeed_When_TheInstalledWorkloadsRunUnderTheInstalledGrants()
    {
        await using var system = await InstalledSystem.InstallAsync(4, s_nodes, "agent.hardware=emulated");
        await system.StartWorkloadsAsync();
        var nodes = new ResourceClient<V1Alpha1NvmeNode>(system.Admin);
        var pool = KubernetesJson.Deserialize<V1Alpha1NvmeVfPool>(ClusterManifests.SamplePool().ToJsonString());
        await new ResourceClient<V1Alpha1NvmeVfPool>(system.Admin).CreateAsync(pool, CancellationToken.None);

        string? sourceVf = null;
        await system.WaitAsync(async () =>
        {
            var source = await nodes.TryGetAsync(NamespacedName.Cluster(s_nodes[0]), CancellationToken.None);
            var destination = await nodes.TryGetAsync(NamespacedName.Cluster(s_nodes[1]), CancellationToken.None);
            sourceVf = FreeVfs(source).FirstOrDefault();
            return sourceVf is not null && FreeVfs(destination).Any();
        }, "both agents report migratable pool VFs", s_timeout);
        var migrations = new ResourceClient<V1Alpha1NvmeMigration>(system.Admin);
        var migration = new V1Alpha1NvmeMigration { Metadata = new V1ObjectMeta { Name = "installed-move", NamespaceProperty = "default" } };
        migration.Spec.Source = new MigrationSource { Node = s_nodes[0], VfAddress = sourceVf };
        migration.Spec.Destination = new MigrationDestination { Node = s_nodes[1] };
        migration.Spec.Mode = MigrationMode.Apply;
        await migrations.CreateAsync(migration, CancellationToken.None);

        V1Alpha1NvmeMigration? done = null;
        await system.WaitAsync(async () =>
        {
            done = await migrations.GetAsync(new NamespacedName("default", "installed-move"), CancellationToken.None);
            return done.Status?.Phase is MigrationPhase.Succeeded or MigrationPhase.Failed;
        }, "the migration ends", s_timeout);

        Assert.True(done!.Status!.Phase == MigrationPhase.Succeeded, $"migration {done.Status.Phase}: {done.Status.FailureReason}{system.Logs()}");
        Assert.Empty(system.Forbidden());
        // The identities were the installed ones: the Lease holder is the operator pod (POD_NAME from the downward
        // API), the agents wrote their NvmeNodes' status as the agent service account, each its own.
        var operatorPod = Assert.Single(system.Pods, p => p.Pod.Spec.ServiceAccountName == system.OperatorName);
        var lease = await system.Admin.CoordinationV1.ReadNamespacedLeaseAsync("nvme-lm-operator", InstalledSystem.Namespace);
        Assert.Equal(operatorPod.Name, lease.Spec.HolderIdentity);
        var statusWriters = system.Server.Audit.Snapshot()
            .Where(r => r.Resource == "nvmenodes" && r.Subresource == "status" && r.IsWrite && r.StatusCode < 300)
            .Select(r => (r.Identity, r.Name)).Distinct().Order();
        string agent = $"system:serviceaccount:{InstalledSystem.Namespace}:{system.AgentName}";
        Assert.Equal([(agent, s_nodes[0]), (agent, s_nodes[1])], statusWriters);
    }

    private static IEnumerable<string> FreeVfs(V1Alpha1NvmeNode? node) =>
        (node?.Status?.PhysicalFunctions ?? [])
            .SelectMany(pf => pf.Secondaries ?? [])
            .Where(s => s.Migratable && s.Online && (s.Role is null or SecondaryRole.Pool) && s.VfAddress is not null && !s.Suspended)
            .Select(s => s.VfAddress!);
}

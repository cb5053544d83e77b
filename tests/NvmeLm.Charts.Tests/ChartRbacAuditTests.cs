using k8s;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer.Audit;
using NvmeLm.DevCluster;
using NvmeLm.Kube;
using NvmeLm.Operator.Migrations;
using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests;

/// <summary>
/// The chart's roles against what the code really does: every request the operator and the agents make while a
/// migration succeeds, another rolls back and both are deleted, as the embedded API server's audit records it, must be
/// allowed by the roles the chart binds to that identity (ClusterRoles cluster-wide, Roles in the release namespace,
/// which holds the state Secrets as the chart configures the operator). A verb the code uses and the chart lacks would
/// be a 403 in a real cluster, which the embedded server (no RBAC) cannot show otherwise.
/// </summary>
public sealed class ChartRbacAuditTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ChartRoles_Should_AllowEveryRequest_When_OperatorAndAgentsMigrateRollBackAndDelete()
    {
        IReadOnlyList<AuditRecord> audit = await RunWorkloadAsync();
        var rendered = KubernetesYaml.LoadAllFromString(await HelmChart.RenderAsync(4, ["--namespace", SimulatedClusterOptions.OperatorNamespace]));
        var operatorGrants = ChartGrants.For(rendered, "demo-operator");
        var agentGrants = ChartGrants.For(rendered, "demo-agent");

        var operatorRequests = Distinct(audit.Where(r => r.Identity.StartsWith(SimulatedCluster.OperatorIdentity(""), StringComparison.Ordinal)));
        var agentRequests = Distinct(audit.Where(r => r.Identity.StartsWith(SimulatedNode.AgentIdentity(""), StringComparison.Ordinal)));
        var denied = operatorRequests.Where(r => !operatorGrants.Allows(r.Group, r.Resource, r.Verb, r.Namespace)).Select(r => "operator " + r)
            .Concat(agentRequests.Where(r => !agentGrants.Allows(r.Group, r.Resource, r.Verb, r.Namespace)).Select(r => "agent " + r))
            .ToList();

        // The workload really exercised both identities' writes (a vacuous audit would prove nothing).
        Assert.Contains(operatorRequests, r => r.Verb == "patch" && r.Resource == "nvmenodes");
        Assert.Contains(operatorRequests, r => r.Verb == "delete" && r.Resource == "secrets");
        Assert.Contains(agentRequests, r => r.Verb == "patch" && r.Resource == "nvmenodes/status");
        Assert.Contains(agentRequests, r => r.Resource == "secrets" && r.Verb != "get");
        Assert.True(denied.Count == 0, "requests the chart's roles do not allow:\n" + string.Join("\n", denied));
    }

    private static async Task<IReadOnlyList<AuditRecord>> RunWorkloadAsync()
    {
        // State Secrets where the chart puts them: the release namespace (the operator's --state-namespace).
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            Nodes = SimulatedClusterOptions.NodeSpecs(2),
            Migrations = new MigrationOptions { StateNamespace = SimulatedClusterOptions.OperatorNamespace },
        });
        await cluster.ApplySamplePoolAsync();
        await cluster.WaitForProvisionedAsync(n => n.Spec.LiveMigration ? DemoLayout.SamplePoolVfs * n.Spec.PfCount : 0, s_timeout, CancellationToken.None);

        var vfs = await cluster.FreeVfsAsync("worker-1", CancellationToken.None);
        await cluster.CreateMigrationAsync("moves", "worker-1", vfs[0], "worker-2");
        Assert.Equal(MigrationPhase.Succeeded, (await cluster.WaitForTerminalAsync("moves", s_timeout)).Status!.Phase);

        FailAtStep.Find("Resume")!.Arm(cluster.Node("worker-1"), cluster.Node("worker-2"), 1);
        await cluster.CreateMigrationAsync("rolls-back", "worker-1", vfs[1], "worker-2");
        Assert.Equal(MigrationPhase.Failed, (await cluster.WaitForTerminalAsync("rolls-back", s_timeout)).Status!.Phase);

        foreach (var name in new[] { "moves", "rolls-back" })
        {
            await cluster.Migrations.DeleteAsync(new NamespacedName("default", name), CancellationToken.None);
        }

        await Eventually.TrueAsync(async () => ((await cluster.Migrations.ListAsync("default", null, CancellationToken.None)).Items?.Count ?? 0) == 0,
            "the migrations deleted (no finalizer kept)", s_timeout);

        return cluster.Server.Audit.Snapshot();
    }

    private static IReadOnlyList<Request> Distinct(IEnumerable<AuditRecord> records) =>
        [.. records.Select(r => new Request(r.Verb, r.Group, r.Subresource is null ? r.Resource : r.Resource + "/" + r.Subresource, r.Namespace)).Distinct()];

    private sealed record Request(string Verb, string Group, string Resource, string? Namespace)
    {
        public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource} in {Namespace ?? "the cluster"}";
    }
}

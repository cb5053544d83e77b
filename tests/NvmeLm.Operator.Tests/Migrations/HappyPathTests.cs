using k8s;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Metrics;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;
using Xunit.Abstractions;

namespace NvmeLm.Operator.Tests.Migrations;

[Collection(IntegrationCollection.Name)]
public sealed class HappyPathTests(ITestOutputHelper output)
{
    private const string SourceVf = "0000:01:00.1";

    [Fact]
    public async Task Migration_Should_MoveControllerStateAndSucceed_When_BothNodesAreCapable()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var metrics = new KubeMetrics(Prometheus.Metrics.NewCustomRegistry());
        await cluster.StartOperatorAsync(metrics: metrics);
        await cluster.ProvisionAsync();
        var vmState = cluster.AgentA.Vf(SourceVf).State.ToArray();
        var startRecord = cluster.Server.Audit.Count;

        var created = await cluster.CreateMigrationAsync("move-1", SourceVf);
        var done = await cluster.WaitForPhaseAsync("move-1", MigrationPhase.Succeeded);

        var status = done.Status!;
        Assert.Equal(OperatorTestCluster.NodeB, status.Destination!.Node);
        Assert.Equal(OperatorTestCluster.PfB, status.Destination.PfAddress);
        var destinationVf = status.Destination.VfAddress!;
        Assert.Equal(vmState, cluster.AgentB.Vf(destinationVf).State);
        Assert.Equal(vmState.Length, status.StateSizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(vmState)), status.StateSha256);
        foreach (var type in new[] { "Ready", "SourcePrepared", "DestinationPrepared", "StateTransferred", "Migrated" })
        {
            var condition = status.Conditions!.Single(c => c.Type == type);
            Assert.True(condition.Status == "True", $"{type} should be True: {condition.Reason} {condition.Message}");
            Assert.Equal(done.Metadata.Generation, condition.ObservedGeneration);
        }

        Assert.Equal(
            [StepNames.ReserveDestination, StepNames.AllowMigrate, StepNames.Suspend, StepNames.SaveState, StepNames.RestoreState, StepNames.Resume,
             StepNames.ReleaseSource, StepNames.ReleaseDestination],
            status.Steps!.Select(s => s.Name).ToArray());
        Assert.All(status.Steps!, s => Assert.True(s.Result == StepResult.Succeeded && s.StartedAt is not null && s.FinishedAt >= s.StartedAt, s.Name));

        // Device downtime: from the source agent's Suspend start to the destination agent's Resume finish.
        var suspend = status.Steps!.Single(s => s.Name == StepNames.Suspend);
        var resume = status.Steps!.Single(s => s.Name == StepNames.Resume);
        Assert.Equal((suspend.StartedAt, resume.FinishedAt, OperatorTestCluster.NodeB), (status.Downtime!.SuspendedAt, status.Downtime.ResumedAt, status.Downtime.ResumedOn));
        Assert.Equal((long)Math.Round((resume.FinishedAt!.Value - suspend.StartedAt!.Value).TotalMilliseconds, MidpointRounding.AwayFromZero), status.Downtime.Milliseconds);

        // Both VFs back in their pools, no operation left, the Secret and the finalizer gone.
        foreach (var node in new[] { OperatorTestCluster.NodeA, OperatorTestCluster.NodeB })
        {
            var nvmeNode = await cluster.GetNvmeNodeAsync(node);
            Assert.Empty(nvmeNode.Spec.Operations ?? []);
            Assert.All(nvmeNode.Spec.PhysicalFunctions!.SelectMany(p => p.Secondaries!), s => Assert.Equal(SecondaryRole.Pool, s.Role));
        }

        Assert.False(cluster.AgentA.Vf(SourceVf).Suspended);
        Assert.Null(await cluster.Secrets.TryGetAsync(new NamespacedName("default", StateSecret.NameFor(created)), CancellationToken.None));
        await Eventually.TrueAsync(async () => (await cluster.GetMigrationAsync("move-1"))!.Metadata.Finalizers is null or { Count: 0 }, "finalizer removed");

        // Each operation ran exactly once with effect.
        var uid = created.Metadata.Uid!;
        foreach (var (agent, step) in new[] { (cluster.AgentA, OperationIds.Suspend), (cluster.AgentA, OperationIds.SaveState),
                     (cluster.AgentB, OperationIds.RestoreState), (cluster.AgentB, OperationIds.Resume) })
        {
            Assert.Equal(1, agent.ExecutionsOf(OperationIds.For(uid, step)));
        }

        // One Event per phase change: PreparingDestination … Succeeded (recorded after the write that stores the phase).
        var events = await Eventually.MatchAsync(
            () => cluster.Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=move-1"),
            list => list.Items.Any(e => e.Reason == "Succeeded"), "the Succeeded Event of move-1");
        Assert.Equal(
            ["PreparingDestination", "PreparingSource", "Ready", "Suspending", "TransferringState", "Resuming", "Completing", "Succeeded"],
            events.Items.OrderBy(e => e.FirstTimestamp).ThenBy(e => e.Metadata.Name, StringComparer.Ordinal).Select(e => e.Reason).ToArray());

        // Per-phase duration histogram.
        var text = await metrics.ExportAsTextAsync(CancellationToken.None);
        Assert.Contains("nvmelm_migration_phase_duration_seconds_count{phase=\"Suspending\"} 1", text);
        Assert.Contains("nvmelm_migration_duration_seconds_count{result=\"Succeeded\"} 1", text);
        Assert.Contains("nvmelm_migration_downtime_seconds_count{resumed_on=\"destination\"} 1", text);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"nvmemigration\"", text);

        var records = cluster.Server.Audit.Snapshot().Skip(startRecord).Where(r => r.IsWrite && r.Identity == "operator").ToList();
        var nonEvent = records.Where(r => r.Resource is not ("events" or "nvmevfpools")).ToList();
        output.WriteLine($"operator API writes for one migration: {nonEvent.Count} (+{records.Count - nonEvent.Count} events)");
        foreach (var group in nonEvent.GroupBy(r => $"{r.Verb} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)}"))
        {
            output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        Assert.True(nonEvent.Count <= 20, $"{nonEvent.Count} writes");

        // The pool's status does not flap while a migration changes roles and operations on its nodes.
        Assert.DoesNotContain(records, r => r.Resource == "nvmevfpools");
    }

    [Fact]
    public async Task Migration_Should_PublishPlanAndTouchNothing_When_ModeIsPlan_AndRunIt_When_SwitchedToApply()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        var actionsBefore = cluster.AgentA.MigrationActions.Count + cluster.AgentB.MigrationActions.Count;

        await cluster.CreateMigrationAsync("planned", SourceVf, mode: MigrationMode.Plan);
        var planned = await cluster.WaitForPhaseAsync("planned", MigrationPhase.Planned);

        var plan = planned.Status!.Plan!;
        Assert.Equal(
            ["AllowResume", "BindVfio", "AllowMigrate", "Suspend", "SaveState", "RestoreState", "Resume", "Release", "Release"],
            plan.Select(a => a.Action).ToArray());
        Assert.Equal(Enumerable.Range(1, plan.Count), plan.Select(a => a.Order));
        Assert.Equal(OperatorTestCluster.NodeB, plan[0].Node);
        Assert.Equal(SourceVf, plan[2].Target);
        Assert.Equal("AwaitingApproval", planned.Status.Conditions!.Single(c => c.Type == "Progressing").Reason);
        Assert.Empty(planned.Metadata.Finalizers ?? []);
        await AssertNothingRequestedAsync(cluster);
        Assert.Equal(actionsBefore, cluster.AgentA.MigrationActions.Count + cluster.AgentB.MigrationActions.Count);

        await cluster.Migrations.PatchAsync(new NamespacedName("default", "planned"), """{"spec":{"mode":"Apply"}}""", CancellationToken.None);
        var done = await cluster.WaitForPhaseAsync("planned", MigrationPhase.Succeeded);
        Assert.Equal(planned.Status.Destination!.VfAddress, done.Status!.Destination!.VfAddress);
    }

    internal static async Task AssertNothingRequestedAsync(OperatorTestCluster cluster)
    {
        foreach (var node in new[] { OperatorTestCluster.NodeA, OperatorTestCluster.NodeB })
        {
            var nvmeNode = await cluster.GetNvmeNodeAsync(node);
            Assert.Empty(nvmeNode.Spec.Operations ?? []);
            Assert.All(nvmeNode.Spec.PhysicalFunctions ?? [], pf => Assert.All(pf.Secondaries ?? [], s => Assert.Equal(SecondaryRole.Pool, s.Role)));
        }

        Assert.DoesNotContain(cluster.Agents.SelectMany(a => a.MigrationActions), a => !a.StartsWith("Provision", StringComparison.Ordinal));
    }
}

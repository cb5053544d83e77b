using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;
using Xunit.Abstractions;

namespace NvmeLm.Operator.Tests.Migrations;

[Collection(IntegrationCollection.Name)]
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Migrations_Should_ReserveDistinctDestinations_When_SeveralStartTogether()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        string[] sources = ["0000:01:00.1", "0000:01:00.2", "0000:01:00.3"];
        var states = sources.ToDictionary(s => s, s => cluster.AgentA.Vf(s).State.ToArray());

        var created = await Task.WhenAll(sources.Select((vf, i) => cluster.CreateMigrationAsync($"parallel-{i}", vf)));
        var done = await Task.WhenAll(created.Select(m => cluster.WaitForPhaseAsync(m.Metadata.Name, MigrationPhase.Succeeded)));

        var destinations = done.Select(m => m.Status!.Destination!.VfAddress!).ToList();
        Assert.Equal(destinations.Count, destinations.Distinct().Count());
        foreach (var migration in done)
        {
            Assert.Equal(states[migration.Spec.Source.VfAddress!], cluster.AgentB.Vf(migration.Status!.Destination!.VfAddress!).State);
            Assert.Equal(1, cluster.AgentB.ExecutionsOf(OperationIds.For(migration.Metadata.Uid!, OperationIds.Resume)));
        }

        foreach (var migration in done)
        {
            output.WriteLine(string.Join(", ", migration.Status!.Steps!.Select(s => $"{s.Name} {s.StartedAt:HH:mm:ss.fff}-{s.FinishedAt:HH:mm:ss.fff}")));
        }

        output.WriteLine($"operator writes for {done.Length} migrations: "
            + cluster.WritesBy("operator").Count(r => r.Resource is "nvmemigrations" or "nvmenodes" or "secrets"));
    }

    [Fact]
    public async Task Picker_Should_SkipAVfThatAnEarlierMigrationMovedAControllerInto()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();

        await cluster.CreateMigrationAsync("first", "0000:01:00.1");
        var first = await cluster.WaitForPhaseAsync("first", MigrationPhase.Succeeded);
        await cluster.CreateMigrationAsync("second", "0000:01:00.2");
        var second = await cluster.WaitForPhaseAsync("second", MigrationPhase.Succeeded);

        Assert.Equal("0000:02:00.1", first.Status!.Destination!.VfAddress);
        Assert.Equal("0000:02:00.2", second.Status!.Destination!.VfAddress);
        Assert.Equal(1, cluster.AgentB.ExecutionsOf(OperationIds.For(first.Metadata.Uid!, OperationIds.RestoreState)));

        // Moving the first VM on again frees its VF on node-b for later migrations.
        await cluster.CreateMigrationAsync("back", "0000:02:00.1", destinationNode: OperatorTestCluster.NodeA, sourceNode: OperatorTestCluster.NodeB);
        await cluster.WaitForPhaseAsync("back", MigrationPhase.Succeeded);
        await cluster.CreateMigrationAsync("third", "0000:01:00.3");
        var third = await cluster.WaitForPhaseAsync("third", MigrationPhase.Succeeded);
        Assert.Equal("0000:02:00.1", third.Status!.Destination!.VfAddress);
    }

    [Fact]
    public async Task Migrations_Should_AllSucceed_When_TenNodesMigrateInARing()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var nodes = Enumerable.Range(1, 10).Select(i => $"ring-{i}").ToList();
        foreach (var node in nodes)
        {
            await cluster.CreateNodeAsync(node, new Dictionary<string, string> { ["ring"] = "true" });
            cluster.AddAgent(node, [new FakePf("0000:03:00.0", Serial: node)]);
        }

        var provisioner = await cluster.StartOperatorAsync();
        await cluster.CreatePoolAsync("ring", numVfs: 2, nodeSelector: new() { ["ring"] = "true" });
        await Eventually.TrueAsync(async () => (await cluster.Pools.TryGetAsync(NvmeLm.Kube.NamespacedName.Cluster("ring"), CancellationToken.None))?.Status?.ReadyNodes == 10,
            "ring pool provisioned");

        // All ten exist before an operator resolves any: each node's VF 1 is the next migration's source, and the
        // picker can only skip a VF as some migration's source once it has seen that migration (a migration created
        // while another is already past PreparingDestination can collide with it: see the README's Known limits).
        await cluster.StopOperatorAsync(provisioner);
        var created = await Task.WhenAll(nodes.Select((node, i) =>
            cluster.CreateMigrationAsync($"ring-move-{i}", "0000:03:00.1", destinationNode: nodes[(i + 1) % nodes.Count], sourceNode: node)));
        var started = DateTime.UtcNow;
        await cluster.StartOperatorAsync();
        var done = await Task.WhenAll(created.Select(m => cluster.WaitForPhaseAsync(m.Metadata.Name, MigrationPhase.Succeeded, 60_000)));

        Assert.All(done, m => Assert.Equal("0000:03:00.2", m.Status!.Destination!.VfAddress));
        output.WriteLine($"10 concurrent migrations: all Succeeded after {(DateTime.UtcNow - started).TotalSeconds:F2} s; "
            + string.Join(", ", done.Select(m => $"{(m.Status!.CompletionTime!.Value - m.Status.StartTime!.Value).TotalSeconds:F2}")));
    }

    [Fact]
    public async Task Picker_Should_SkipAVfAllocatedToAPod()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        cluster.AgentB.Vf("0000:02:00.1").AllocatedToPod = "virt-launcher-other";
        await Eventually.ValueAsync(() => cluster.TryGetNvmeNodeAsync(OperatorTestCluster.NodeB), n => n?.Status?.AllocatedVfCount == 1, "the allocation in node-b's status");

        await cluster.CreateMigrationAsync("around-the-pod", "0000:01:00.1");
        var done = await cluster.WaitForPhaseAsync("around-the-pod", MigrationPhase.Succeeded);
        await cluster.CreateMigrationAsync("onto-the-pod", "0000:01:00.2", destinationVf: "0000:02:00.1");
        var refused = await cluster.WaitForPhaseAsync("onto-the-pod", MigrationPhase.Failed);

        Assert.Equal("0000:02:00.2", done.Status!.Destination!.VfAddress);
        var ready = refused.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(FailureReasons.NoFreeDestinationVf, ready.Reason);
        Assert.Contains("in use by pod default/virt-launcher-other", ready.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 10: the VMs' VFs are allocated to pods, and each of six nodes is the source of two migrations and the
    /// destination of two others. The second wave is created while the first runs, after the first has resolved its
    /// destinations: without allocations the picker would have chosen a second-wave source (VF 2, not yet named by any
    /// migration) as a first-wave destination — the DestinationInUse collision; with them it never does.
    /// </summary>
    [Fact]
    public async Task Migrations_Should_NeverCollide_When_ManyConcurrentMigrationsOverlapSourcesAndDestinations()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var nodes = Enumerable.Range(1, 6).Select(i => $"mesh-{i}").ToList();
        foreach (var node in nodes)
        {
            await cluster.CreateNodeAsync(node, new Dictionary<string, string> { ["mesh"] = "true" });
            cluster.AddAgent(node, [new FakePf("0000:03:00.0", Serial: node)]);
        }

        await cluster.StartOperatorAsync();
        await cluster.CreatePoolAsync("mesh", numVfs: 4, nodeSelector: new() { ["mesh"] = "true" });
        foreach (var node in nodes)
        {
            await cluster.WaitForProvisionedAsync(node, 4);
        }

        foreach (var agent in cluster.Agents.Where(a => nodes.Contains(a.NodeName)))
        {
            agent.Vf("0000:03:00.1").AllocatedToPod = $"vm-{agent.NodeName}-a";
            agent.Vf("0000:03:00.2").AllocatedToPod = $"vm-{agent.NodeName}-b";
        }

        foreach (var node in nodes)
        {
            await Eventually.ValueAsync(() => cluster.TryGetNvmeNodeAsync(node), n => n?.Status?.AllocatedVfCount == 2, $"the VMs' allocations on {node}");
        }

        // Wave 1: VM a of node i moves to node i+1. Wave 2: VM b of node i moves to node i-1. Every node sends two and receives two.
        var first = await Task.WhenAll(nodes.Select((node, i) =>
            cluster.CreateMigrationAsync($"{node}-a", "0000:03:00.1", destinationNode: nodes[(i + 1) % nodes.Count], sourceNode: node)));
        foreach (var migration in first)
        {
            await Eventually.ValueAsync(() => cluster.GetMigrationAsync(migration.Metadata.Name),
                m => m?.Status is { Destination: not null, Phase: not (MigrationPhase.Pending or MigrationPhase.PreparingDestination) },
                $"{migration.Metadata.Name} past PreparingDestination");
        }

        var second = await Task.WhenAll(nodes.Select((node, i) =>
            cluster.CreateMigrationAsync($"{node}-b", "0000:03:00.2", destinationNode: nodes[(i + nodes.Count - 1) % nodes.Count], sourceNode: node)));
        var created = first.Concat(second).ToList();
        var ended = await Task.WhenAll(created.Select(m => Eventually.ValueAsync(() => cluster.GetMigrationAsync(m.Metadata.Name),
            x => x?.Status?.Phase is MigrationPhase.Succeeded or MigrationPhase.Failed, $"{m.Metadata.Name} finished", TimeSpan.FromSeconds(60))));

        Assert.DoesNotContain(FailureReasons.DestinationInUse, ended.Select(m => m!.Status!.FailureReason));
        Assert.All(ended, m => Assert.True(m!.Status!.Phase == MigrationPhase.Succeeded,
            $"{m.Metadata.Name}: {m.Status.Phase} {m.Status.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Reason}"));
        foreach (var node in nodes)
        {
            var received = ended.Where(m => m!.Spec.Destination.Node == node).Select(m => m!.Status!.Destination!.VfAddress).Order().ToList();
            Assert.Equal(["0000:03:00.3", "0000:03:00.4"], received);
        }
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
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
    public async Task Migration_Should_KeepTheSourceLockedUntilDeleted_When_RollbackCannotResumeTheSource()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        cluster.AgentA.FailNext(NodeOperationType.SaveState);
        cluster.AgentA.Hang(NodeOperationType.Resume);
        var created = await cluster.CreateMigrationAsync("stuck-source", "0000:01:00.1");
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentA.WasRequested(NodeOperationType.Resume)), "rollback resume requested");
        cluster.AgentA.Unhang();
        cluster.AgentA.FailNext(NodeOperationType.Resume);

        // The hung resume answered Running; the next pass of the fake agent runs it again and it fails.
        var failed = await cluster.WaitForPhaseAsync("stuck-source", MigrationPhase.Failed);

        Assert.Equal(FailureReasons.SourceResumeFailed, failed.Status!.FailureReason);
        Assert.Equal("True", failed.Status.Conditions!.Single(c => c.Type == MigrationConditions.Degraded).Status);
        Assert.Equal(SecondaryRole.MigrationSource, cluster.AgentA.Vf("0000:01:00.1").Role);
        Assert.Contains(MigrationConditions.Finalizer, (await cluster.GetMigrationAsync("stuck-source"))!.Metadata.Finalizers!);

        await cluster.Migrations.DeleteAsync(new NvmeLm.Kube.NamespacedName("default", "stuck-source"), CancellationToken.None);
        await Eventually.TrueAsync(async () => await cluster.GetMigrationAsync("stuck-source") is null, "deleted once the lock is released");
        await Eventually.TrueAsync(() => Task.FromResult(cluster.AgentA.Vf("0000:01:00.1").Role == SecondaryRole.Pool), "source VF released");
        Assert.Equal(created.Metadata.Uid, failed.Metadata.Uid);
    }
}

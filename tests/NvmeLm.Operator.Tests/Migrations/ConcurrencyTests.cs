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
}

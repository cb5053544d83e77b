using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer.Faults;
using NvmeLm.Kube;
using NvmeLm.Operator.Nodes;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Migrations;

/// <summary>
/// The fault matrix's leak (issue 15): a stopped operator must not write. NvmeNode edits are written in the
/// background (one write serves several migrations), and a write that met conflicts used to go on retrying for
/// seconds after its operator was stopped; its edit (a hold) could then land after the next operator had rolled the
/// migration back and released the VF, leaving it held by a migration that no longer existed. Writes now run only as
/// long as their operator, and stopping it waits for them.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperatorStopTests
{
    [Fact]
    public async Task Stop_Should_LeaveNoWriteBehind_When_ANodeWriteIsBeingRetried()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var first = await cluster.StartOperatorAsync("operator-1");
        await cluster.ProvisionAsync();
        // Every spec write of the first operator meets a conflict for a while: its hold of the destination keeps retrying.
        cluster.Server.Faults.FailNext(9, 409, new RequestMatch(Verb: "patch", Resource: "nvmenodes", Identity: "operator-1"));
        var created = await cluster.CreateMigrationAsync("interrupted", "0000:01:00.1");
        await Eventually.TrueAsync(() => Task.FromResult(cluster.Server.Faults.Injected >= 1), "the destination hold is being retried");

        await cluster.StopOperatorAsync(first);
        var stoppedAt = cluster.Server.Audit.Count;
        // The user gives up on the migration; the next operator rolls it back and it goes.
        await cluster.Migrations.DeleteAsync(new NamespacedName("default", "interrupted"), CancellationToken.None);
        await cluster.StartOperatorAsync("operator-2");
        await Eventually.TrueAsync(async () => await cluster.GetMigrationAsync("interrupted") is null, "migration rolled back and gone");

        // Nothing of the first operator reached the server once it was stopped (watches end as it stops; a write it gave up mid-flight is
        // answered 499 and has no effect), so nothing of the migration is left on either node.
        var late = cluster.Server.Audit.Snapshot().Skip(stoppedAt).Where(r => r.Identity == "operator-1" && r.IsWrite && r.StatusCode != 499).ToList();
        Assert.True(late.Count == 0, "requests after stop: " + string.Join(", ", late.Select(r => $"{r.Verb} {r.Resource} {r.StatusCode}")));
        foreach (var node in new[] { OperatorTestCluster.NodeA, OperatorTestCluster.NodeB })
        {
            Assert.False(NodeSpecEditor.References(await cluster.GetNvmeNodeAsync(node), created.Metadata.Uid!), $"{node} still names the migration");
        }
    }
}

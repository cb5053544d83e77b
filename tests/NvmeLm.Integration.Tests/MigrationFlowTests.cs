using k8s;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Kube;
using NvmeLm.TestSupport;

namespace NvmeLm.Integration.Tests;

/// <summary>The happy path and Plan mode, end to end: operator, two agents and emulated hardware against the embedded API server.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class MigrationFlowTests(TwoNodeFixture fixture) : IClassFixture<TwoNodeFixture>
{
    private SimulatedCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Migration_Should_MoveControllerStateToDestination_When_Applied()
    {
        var vf = (await Cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        var mark = HardwareLogs.Mark(Cluster);
        await Cluster.CreateMigrationAsync("happy", "worker-1", vf, "worker-2");

        var migration = await Cluster.WaitForTerminalAsync("happy", TestClusters.MigrationTimeout);

        var status = migration.Status!;
        Assert.Equal(MigrationPhase.Succeeded, status.Phase);
        Assert.Equal(("worker-1", vf), (status.Source!.Node, status.Source.VfAddress));
        Assert.Equal("worker-2", status.Destination!.Node);
        Assert.Equal(8192, status.StateSizeBytes);
        Assert.Matches("^[0-9a-f]{64}$", status.StateSha256!);
        var steps = status.Steps!.Select(s => s.Name).ToList();
        Assert.Equal(["ReserveDestination", "AllowMigrate", "Suspend", "SaveState", "RestoreState", "Resume", "ReleaseSource", "ReleaseDestination"], steps);
        Assert.All(status.Steps!, s => Assert.Equal(StepResult.Succeeded, s.Result));
        Assert.Equal("True", status.Conditions!.Single(c => c.Type == "Ready").Status);

        // Hardware: the source was suspended and read once, the destination written and resumed once.
        var source = Cluster.Node("worker-1");
        var destination = Cluster.Node("worker-2");
        Assert.Equal(1, HardwareLogs.Commands(source, mark, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectSuspend));
        Assert.True(HardwareLogs.Commands(source, mark, NvmeAdminOpcode.MigrationReceive, MigrationFields.ReceiveSelectGetControllerState) >= 1);
        Assert.True(HardwareLogs.Commands(destination, mark, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectSetControllerState) >= 1);
        Assert.Equal(1, HardwareLogs.Commands(destination, mark, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectResume));
        Assert.Equal(0, HardwareLogs.Commands(source, mark, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectResume));
        Assert.Empty(HardwareLogs.DuplicateEffects(Cluster, mark));
        // Nothing leaked, and the destination holds the source's controller state (LeakCheck reads its origin).
        Assert.Empty(await LeakCheck.RunAsync(Cluster, [migration], TimeSpan.FromSeconds(15), CancellationToken.None));
    }

    [Fact]
    public async Task Migration_Should_WriteEachNvmeNodeRequestOnce_When_ConsecutiveStepsShareANode()
    {
        var vf = (await Cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        var start = DateTimeOffset.UtcNow;
        await Cluster.CreateMigrationAsync("budget", "worker-1", vf, "worker-2");

        var migration = await Cluster.WaitForTerminalAsync("budget", TestClusters.MigrationTimeout);

        Assert.Equal(MigrationPhase.Succeeded, migration.Status!.Phase);
        // The operator records a phase's Event after the status write that stores the phase: the Succeeded one may still
        // be on its way when the test sees the phase.
        await Eventually.TrueAsync(async () => (await Cluster.Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=budget"))
            .Items.Any(e => e.Reason == "Succeeded"), "the Succeeded Event of budget");
        var operatorWrites = Cluster.Server.Audit.Where(r => r.Time >= start && r.IsWrite && r.Identity.StartsWith(SimulatedCluster.OperatorIdentity(""), StringComparison.Ordinal));
        // Reserve + arm (destination: hold, restore-state, resume in one write), allow (source), suspend + save-state
        // (source), and the two releases: five spec writes, none of them a conflict.
        Assert.Equal(5, operatorWrites.Count(r => r.Resource == "nvmenodes" && r.StatusCode == 200));
        Assert.DoesNotContain(operatorWrites, r => r.StatusCode == 409);
        // One Event per phase change (Pending to Succeeded passes 8). Status writes: at most one per phase but Ready,
        // which a migration admitted at once passes through in the write that enters Suspending; the phases inside the
        // window are written as the operator observes the agents, several in one write when they finished together.
        var statusWrites = operatorWrites.Count(r => r.Resource == "nvmemigrations" && r.Subresource == "status");
        Assert.InRange(statusWrites, 5, 7);
        // Each reconcile starts from the informer's copy while it is the operator's own last write (OwnWrites), and
        // GETs the migration only when the copy is something else (the informer behind that write, or another writer):
        // 5 here, 14–16 when every reconcile read it (one per reconcile).
        var migrationReads = Cluster.Server.Audit.Where(r => r.Time >= start && !r.IsWrite && r.Verb == "get" && r.Resource == "nvmemigrations"
            && r.Identity.StartsWith(SimulatedCluster.OperatorIdentity(""), StringComparison.Ordinal)).Count();
        Assert.InRange(migrationReads, 1, 9);
        Assert.Equal(8, operatorWrites.Count(r => r.Resource == "events"));
        var events = await Cluster.Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=budget");
        Assert.Equal(["PreparingDestination", "PreparingSource", "Ready", "Suspending", "TransferringState", "Resuming", "Completing", "Succeeded"],
            events.Items.OrderBy(e => long.Parse(e.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)).Select(e => e.Reason));
    }

    [Fact]
    public async Task PlanMode_Should_PublishPlanAndChangeNoHardware_When_ModeIsPlan()
    {
        var vf = (await Cluster.FreeVfsAsync("worker-2", CancellationToken.None))[0];
        await LeakCheck.RunAsync(Cluster, [], TimeSpan.FromSeconds(15), CancellationToken.None);
        var mark = HardwareLogs.Mark(Cluster);
        await Cluster.CreateMigrationAsync("plan-only", "worker-2", vf, "worker-1", MigrationMode.Plan);
        var key = new NamespacedName("default", "plan-only");

        V1Alpha1NvmeMigration planned = await Eventually.MatchAsync(() => Cluster.Migrations.GetAsync(key, CancellationToken.None),
            m => m.Status?.Phase == MigrationPhase.Planned, "plan-only in phase Planned", TestClusters.MigrationTimeout);

        Assert.Equal(MigrationPhase.Planned, planned.Status!.Phase);
        Assert.NotEmpty(planned.Status.Plan!);
        Assert.Equal("worker-1", planned.Status.Destination!.Node);
        // The agents sync twice more with the plan published: still nothing may have been written.
        await AgentSyncs.WaitForEveryAgentAsync(Cluster);
        Assert.Equal(MigrationPhase.Planned, (await Cluster.Migrations.GetAsync(key, CancellationToken.None)).Status!.Phase);
        Assert.Empty(HardwareLogs.MutationsSince(Cluster, mark));

        // Approving the plan runs it.
        await Cluster.Migrations.PatchAsync(key, """{"spec":{"mode":"Apply"}}""", CancellationToken.None);
        var applied = await Cluster.WaitForTerminalAsync("plan-only", TestClusters.MigrationTimeout);
        Assert.Equal(MigrationPhase.Succeeded, applied.Status!.Phase);
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Emulated;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

[Collection(AgentCollection.Name)]
public sealed class AgentSpecTests
{
    private const string Owner = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10";

    internal static void TwoVfs(V1Alpha1NvmeNode.EntitySpec spec, SecondaryRole vf2Role = SecondaryRole.Pool, string? vf2Owner = null)
    {
        spec.PhysicalFunctions =
        [
            new PhysicalFunctionSpec
            {
                Address = AgentHosts.MigratablePf.ToString(),
                NumVfs = 2,
                Pool = "fast",
                Secondaries =
                [
                    new SecondaryControllerSpec { VfNumber = 1, Queues = 2, Interrupts = 1, Driver = "vfio-pci" },
                    new SecondaryControllerSpec { VfNumber = 2, Queues = 2, Interrupts = 1, Driver = "vfio-pci", Role = vf2Role, OwnerUid = vf2Owner },
                ],
            },
        ];
    }

    [Fact]
    public async Task Agent_Should_CreateNodeAndPublishInventory_When_Started()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();

        await cluster.StartAgentAsync("worker-1", host);

        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status with inventory");
        Assert.Empty(node.Spec.PhysicalFunctions ?? []);
        Assert.Equal(2, node.Status!.PfCount);
        Assert.Equal(0, node.Status.VfCount);
        Assert.NotNull(node.Status.HeartbeatTime);
        PhysicalFunctionStatus migratable = node.Status.PhysicalFunctions!.Single(p => p.Address == AgentHosts.MigratablePf.ToString());
        Assert.True(migratable.Capabilities!.HostManagedLiveMigration);
        Assert.True(migratable.Capabilities.VirtualizationManagement);
        Assert.Equal([0], migratable.Capabilities.StateFormatVersions!);
        Assert.Equal("EMU0", migratable.Serial);
        Assert.Equal("0x1b36", migratable.VendorId);
        Assert.Equal("nvme0", migratable.ControllerDevice);
        Assert.Equal(4, migratable.TotalVfs);
        Assert.Equal(16, migratable.Primary!.VqFlexibleTotal);
        Assert.Equal(4, migratable.Secondaries!.Count);
        Assert.All(migratable.Secondaries, s => Assert.Null(s.Role));
        Assert.False(node.Status.PhysicalFunctions!.Single(p => p.Address == AgentHosts.PlainPf.ToString()).Capabilities!.HostManagedLiveMigration);
        Assert.Empty(host.WriteLog.Mutations);
    }

    [Fact]
    public async Task Agent_Should_ApplySpecToHardwareAndReportIt_When_SpecSetsVfsAndRoles()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");

        V1Alpha1NvmeNode written = await cluster.UpdateSpecAsync("worker-1", spec => TwoVfs(spec, SecondaryRole.MigrationSource, Owner));
        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");

        Assert.Equal(written.Metadata.Generation, node.Status!.ObservedGeneration);
        EmulatedPhysicalFunction pf = host.PhysicalFunction(AgentHosts.MigratablePf);
        Assert.Equal(2, pf.NumVfs);
        Assert.False(pf.DriversAutoprobe);
        Assert.All(pf.Secondaries.Where(s => s.Vfn <= 2), s => Assert.True(s.Online && s.Nvq == 2 && s.Nvi == 1));
        Assert.Equal(["vfio-pci", "vfio-pci"], AgentHosts.VfDrivers(host, 2));

        PhysicalFunctionStatus status = node.Status.PhysicalFunctions!.Single(p => p.Address == AgentHosts.MigratablePf.ToString());
        Assert.Equal(2, status.NumVfs);
        Assert.Equal(2, node.Status.VfCount);
        Assert.Equal(2, node.Status.MigratableVfCount);
        SecondaryControllerStatus vf1 = status.Secondaries!.Single(s => s.VfNumber == 1);
        SecondaryControllerStatus vf2 = status.Secondaries!.Single(s => s.VfNumber == 2);
        Assert.Equal((SecondaryRole.Pool, (string?)null, AgentHosts.Vf1, "vfio-pci"), (vf1.Role!.Value, vf1.OwnerUid, vf1.VfAddress, vf1.Driver));
        Assert.Equal((SecondaryRole.MigrationSource, Owner, AgentHosts.Vf2), (vf2.Role!.Value, vf2.OwnerUid, vf2.VfAddress));
        Assert.True(vf2.Migratable && vf2.Online && !vf2.Suspended);
        Assert.NotNull(vf2.IommuGroup);
        Assert.Null(node.Status.LastSyncError);

        // The allow-list: the PF the spec does not list is never written to.
        Assert.Empty(host.MutationsOf(AgentHosts.PlainPf, "/dev/nvme1"));
    }

    [Fact]
    public async Task Agent_Should_ReportInvalidSpecAndTouchNothing_When_SecondariesAskForDifferentResources()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");

        await cluster.UpdateSpecAsync("worker-1", spec =>
        {
            TwoVfs(spec);
            spec.PhysicalFunctions![0].Secondaries![1].Queues = 4;
        });
        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("worker-1", n => n.Status!.LastSyncError is not null, "the spec refused");

        Assert.Contains("different resources", node.Status!.LastSyncError, StringComparison.Ordinal);
        Assert.False(AgentCluster.IsReady(node));
        var degraded = node.Status.Conditions!.Single(c => c.Type == AgentConditions.Degraded);
        Assert.Equal(("True", AgentConditions.InvalidSpecReason), (degraded.Status, degraded.Reason));
        Assert.Empty(host.WriteLog.Mutations);
    }

    [Fact]
    public async Task Agent_Should_ReportUnknownPfAndTouchNothing_When_SpecNamesAPfTheHostLacks()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host);
        await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");

        await cluster.UpdateSpecAsync("worker-1", spec => spec.PhysicalFunctions = [new PhysicalFunctionSpec { Address = "0000:09:00.0", NumVfs = 1 }]);
        V1Alpha1NvmeNode node = await cluster.WaitForStatusAsync("worker-1", n => n.Status!.LastSyncError is not null, "the unknown PF reported");

        Assert.Contains("0000:09:00.0", node.Status!.LastSyncError, StringComparison.Ordinal);
        Assert.Equal(AgentConditions.SpecFailedReason, node.Status.Conditions!.Single(c => c.Type == AgentConditions.Degraded).Reason);
        Assert.Empty(host.WriteLog.Mutations);
    }

    [Fact]
    public async Task Agent_Should_NotRewriteStatus_When_NothingChangedAndHeartbeatIsNotDue()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMilliseconds(200));
        await cluster.UpdateSpecAsync("worker-1", spec => TwoVfs(spec));
        V1Alpha1NvmeNode applied = await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the spec applied");
        int mutations = host.WriteLog.Mutations.Count;

        // Several resyncs pass: each re-reads the hardware, finds it as the status says, and writes nothing.
        await cluster.WaitForFullSyncsAsync("worker-1", syncs: 4);

        V1Alpha1NvmeNode later = await cluster.GetNodeAsync("worker-1");
        Assert.Equal(applied.Metadata.ResourceVersion, later.Metadata.ResourceVersion);
        Assert.Equal(mutations, host.WriteLog.Mutations.Count);
    }

    [Fact]
    public async Task Agent_Should_WriteHeartbeat_When_HeartbeatPeriodPasses()
    {
        await using var cluster = await AgentCluster.StartAsync();
        EmulatedHost host = AgentHosts.Create();
        await cluster.StartAgentAsync("worker-1", host, resync: TimeSpan.FromMilliseconds(200), heartbeat: TimeSpan.FromSeconds(1));
        V1Alpha1NvmeNode first = await cluster.WaitForStatusAsync("worker-1", AgentCluster.IsReady, "the first status");

        V1Alpha1NvmeNode later = await cluster.WaitForStatusAsync("worker-1", n => n.Status!.HeartbeatTime > first.Status!.HeartbeatTime, "a newer heartbeat");

        Assert.Equal(first.Status!.PhysicalFunctions!.Count, later.Status!.PhysicalFunctions!.Count);
    }
}

using k8s.Models;
using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.Operator.Tests.Migrations;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.KubeVirt;

/// <summary>
/// Issue 11: an NvmeMigration naming a VMI. KubeVirt's verdict (LiveMigratable) decides first; the VF is the one the
/// device plugin allocated to the VMI's virt-launcher pod. Every refusal ends Failed with zero NvmeNode or Secret writes.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class VmiSourceTests
{
    private const string LauncherUid = "5b0c1a9e-7d2f-4c41-9a57-3e8f0d6b2c11";

    public enum Case
    {
        NotLiveMigratable,
        NoKubeVirt,
        NoVfAllocated,
        TwoVfsNoneNamed,
        NamedVfNotTheVmis,
        MigratableButAgentMode,
        VmiOnAnotherNode,
    }

    [Theory]
    [InlineData(Case.NotLiveMigratable, FailureReasons.VmiNotLiveMigratable)]
    [InlineData(Case.NoKubeVirt, FailureReasons.KubeVirtNotInstalled)]
    [InlineData(Case.NoVfAllocated, FailureReasons.VmiHasNoPoolVf)]
    [InlineData(Case.TwoVfsNoneNamed, FailureReasons.VmiVfAmbiguous)]
    [InlineData(Case.NamedVfNotTheVmis, FailureReasons.VmiVfAmbiguous)]
    [InlineData(Case.MigratableButAgentMode, FailureReasons.VmiNeedsVmmStateTransfer)]
    [InlineData(Case.VmiOnAnotherNode, FailureReasons.VmiNotOnSourceNode)]
    public async Task VmiMigration_Should_FailWithReasonAndWriteNoNvmeNode_When_ItCannotGo(Case input, string expectedReason)
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = input == Case.NoKubeVirt ? null : await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        if (input != Case.NoVfAllocated)
        {
            Allocate(cluster, "0000:01:00.2");
        }

        if (input == Case.TwoVfsNoneNamed)
        {
            Allocate(cluster, "0000:01:00.3");
        }

        await Eventually.ValueAsync(() => cluster.TryGetNvmeNodeAsync(OperatorTestCluster.NodeA),
            n => n?.Status?.AllocatedVfCount == (input switch { Case.NoVfAllocated => 0, Case.TwoVfsNoneNamed => 2, _ => 1 }), "allocations reported");
        if (vmis is not null)
        {
            var node = input == Case.VmiOnAnotherNode ? OperatorTestCluster.NodeB : OperatorTestCluster.NodeA;
            await KubeVirtFixture.CreateRunningVmiAsync(vmis, "vm-1", node, LauncherUid, liveMigratable: input != Case.NotLiveMigratable);
        }

        var auditMark = cluster.Server.Audit.Count;
        await CreateVmiMigrationAsync(cluster, "vm-1-move", input == Case.NamedVfNotTheVmis ? "0000:01:00.1" : null,
            input == Case.MigratableButAgentMode ? StateTransferMode.Agent : StateTransferMode.Vmm);
        var failed = await cluster.WaitForPhaseAsync("vm-1-move", MigrationPhase.Failed);

        var ready = failed.Status!.Conditions!.Single(c => c.Type == MigrationConditions.Ready);
        Assert.Equal((expectedReason, "False", expectedReason), (failed.Status.FailureReason, ready.Status, ready.Reason));
        switch (input)
        {
            case Case.NotLiveMigratable:
                // KubeVirt's own reason and message travel into the condition.
                Assert.Contains("HostDeviceNotLiveMigratable: VMI specifies non-migratable generic PCI host device", ready.Message, StringComparison.Ordinal);
                break;
            case Case.TwoVfsNoneNamed:
                Assert.Contains("0000:01:00.2, 0000:01:00.3", ready.Message, StringComparison.Ordinal);
                break;
            case Case.NoVfAllocated:
                Assert.Contains(LauncherUid, ready.Message, StringComparison.Ordinal);
                break;
        }

        Assert.Null(failed.Status.StartTime);
        await HappyPathTests.AssertNothingRequestedAsync(cluster);
        Assert.DoesNotContain(cluster.Server.Audit.Snapshot().Skip(auditMark),
            r => r.IsWrite && r.Identity == "operator" && r.Resource is "nvmenodes" or "secrets");
    }

    [Fact]
    public async Task VmiMigration_Should_WaitForTheAllocation_When_TheAgentHasNotReportedItYet()
    {
        // The agent reads PodResources on its poll period: a migration created right after the VM started finds no VF
        // recorded yet. It waits (WaitingForAllocation, nothing written) and goes once the allocation shows up.
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync(vmiAllocationGrace: TimeSpan.FromMinutes(5));
        await cluster.ProvisionAsync();
        await KubeVirtFixture.CreateRunningVmiAsync(vmis, "vm-1", OperatorTestCluster.NodeA, LauncherUid, liveMigratable: true);

        var auditMark = cluster.Server.Audit.Count;
        await CreateVmiMigrationAsync(cluster, "vm-1-move", vfAddress: null, StateTransferMode.Vmm);
        var waiting = await Eventually.ValueAsync(() => cluster.GetMigrationAsync("vm-1-move"),
            m => m?.Status?.Conditions?.Any(c => c.Type == MigrationConditions.Ready && c.Reason == "WaitingForAllocation") == true, "waiting for the allocation");
        Assert.Equal(MigrationPhase.Pending, MigrationPhases.Of(waiting!));
        Assert.DoesNotContain(cluster.Server.Audit.Snapshot().Skip(auditMark),
            r => r.IsWrite && r.Identity == "operator" && r.Resource is "nvmenodes" or "secrets");

        Allocate(cluster, "0000:01:00.2");
        var opened = await cluster.WaitForPhaseAsync("vm-1-move", MigrationPhase.Suspending);

        Assert.Equal("0000:01:00.2", opened.Status!.Source!.VfAddress);
    }

    [Fact]
    public async Task VmiMigration_Should_ResolveTheVmisVfAndAskKubeVirtToMoveIt_When_KubeVirtWouldMigrateIt()
    {
        // Resolution succeeds (the one VF of the VMI's launcher pod); both ends are prepared and the VMIM is created
        // (no virt-controller runs here, so it stays Pending: VmmMigrationTests follow it to the end).
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        Allocate(cluster, "0000:01:00.2");
        await Eventually.ValueAsync(() => cluster.TryGetNvmeNodeAsync(OperatorTestCluster.NodeA), n => n?.Status?.AllocatedVfCount == 1, "allocation reported");
        await KubeVirtFixture.CreateRunningVmiAsync(vmis, "vm-2", OperatorTestCluster.NodeA, LauncherUid, liveMigratable: true);

        await CreateVmiMigrationAsync(cluster, "vm-2-move", vfAddress: null, StateTransferMode.Vmm);
        var opened = await cluster.WaitForPhaseAsync("vm-2-move", MigrationPhase.Suspending);

        Assert.Equal("0000:01:00.2", opened.Status!.Source!.VfAddress);
        Assert.Equal(VmimRequest.NameFor(opened), opened.Status.KubevirtMigration);
        var vmim = await Eventually.ValueAsync(
            () => new ResourceClient<VirtualMachineInstanceMigration>(cluster.Admin).TryGetAsync(new NamespacedName(OperatorTestCluster.Namespace, opened.Status.KubevirtMigration!), CancellationToken.None),
            v => v is not null, "VMIM created");
        Assert.Equal("vm-2", vmim!.Spec.VmiName);
    }

    private static void Allocate(OperatorTestCluster cluster, string vf)
    {
        cluster.AgentA.Vf(vf).AllocatedToPod = "virt-launcher-vm-1-abcde";
        cluster.AgentA.Vf(vf).AllocatedToPodUid = LauncherUid;
    }

    private static Task<V1Alpha1NvmeMigration> CreateVmiMigrationAsync(OperatorTestCluster cluster, string name, string? vfAddress, StateTransferMode mode) =>
        cluster.Migrations.CreateAsync(new V1Alpha1NvmeMigration
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = OperatorTestCluster.Namespace },
            Spec = new V1Alpha1NvmeMigration.EntitySpec
            {
                VmiName = name.Split("-move")[0],
                Source = new MigrationSource { Node = OperatorTestCluster.NodeA, VfAddress = vfAddress },
                Destination = new MigrationDestination { Node = OperatorTestCluster.NodeB },
                StateTransfer = mode,
            },
        }, CancellationToken.None);
}

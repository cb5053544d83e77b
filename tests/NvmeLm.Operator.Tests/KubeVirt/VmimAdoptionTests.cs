using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.KubeVirt;

/// <summary>Issue 11: a user-created VMIM for a VMI that holds a pool VF gets an NvmeMigration owned by that VMIM.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class VmimAdoptionTests
{
    private const string LauncherUid = "0c9d3e1a-52f4-4b8e-a1d7-6e2f9b4c8a05";

    [Fact]
    public Task UserVmim_Should_GetAnNvmeMigrationOwnedByIt_When_ItsVmiHoldsAPoolVf() => AdoptsAsync(vmiFirst: true);

    /// <summary>
    /// The VMIM reaches the operator before its VMI does (the resync is minutes away): the VMI's arrival alone must
    /// wake the adoption.
    /// </summary>
    [Fact]
    public Task UserVmim_Should_BeAdopted_When_ItArrivesBeforeItsVmi() => AdoptsAsync(vmiFirst: false);

    private static async Task AdoptsAsync(bool vmiFirst)
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        cluster.AgentA.Vf("0000:01:00.3").AllocatedToPod = "virt-launcher-vm-9-xyzab";
        cluster.AgentA.Vf("0000:01:00.3").AllocatedToPodUid = LauncherUid;
        await Eventually.ValueAsync(() => cluster.TryGetNvmeNodeAsync(OperatorTestCluster.NodeA), n => n?.Status?.AllocatedVfCount == 1, "allocation reported");
        if (vmiFirst)
        {
            await KubeVirtFixture.CreateRunningVmiAsync(vmis, "vm-9", OperatorTestCluster.NodeA, LauncherUid, liveMigratable: true);
        }

        var vmim = await new ResourceClient<VirtualMachineInstanceMigration>(cluster.Admin).CreateAsync(new VirtualMachineInstanceMigration
        {
            Metadata = new V1ObjectMeta { Name = "move-vm-9", NamespaceProperty = OperatorTestCluster.Namespace },
            Spec = new VmimSpec { VmiName = "vm-9", AddedNodeSelector = new Dictionary<string, string> { [WellKnownLabels.Hostname] = OperatorTestCluster.NodeB } },
        }, CancellationToken.None);
        if (!vmiFirst)
        {
            await KubeVirtFixture.CreateRunningVmiAsync(vmis, "vm-9", OperatorTestCluster.NodeA, LauncherUid, liveMigratable: true);
        }

        var adopted = await Eventually.ValueAsync(
            () => cluster.Migrations.TryGetAsync(new NamespacedName(OperatorTestCluster.Namespace, "move-vm-9"), CancellationToken.None),
            m => m is not null, "the NvmeMigration for the user's VMIM");
        var owner = Assert.Single(adopted!.Metadata.OwnerReferences);
        Assert.Equal((VirtualMachineInstanceMigration.KindName, vmim.Metadata.Uid, true), (owner.Kind, owner.Uid, owner.Controller));
        Assert.Equal(("vm-9", OperatorTestCluster.NodeA, "0000:01:00.3", OperatorTestCluster.NodeB, StateTransferMode.Vmm),
            (adopted.Spec.VmiName, adopted.Spec.Source.Node, adopted.Spec.Source.VfAddress, adopted.Spec.Destination.Node, adopted.Spec.StateTransfer));
    }
}

using k8s.Models;
using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.KubeVirt;

namespace NvmeLm.Operator.Tests.KubeVirt;

/// <summary>Issue 11: the VMIM a <c>stateTransfer: Vmm</c> migration creates, and the one it follows when adopted.</summary>
public sealed class VmimRequestTests
{
    private const string Uid = "5b0f6f0e-2a4d-4a53-9d8e-0c3c1f7a9e21";

    [Fact]
    public void Build_Should_OwnTheVmimAndPinTheDestinationsHostname_When_TheOperatorDrivesTheMigration()
    {
        var vmim = VmimRequest.Build(Migration(), "node-b");

        Assert.Equal("nvmelm-" + Uid, vmim.Metadata.Name);
        Assert.Equal("tenant", vmim.Metadata.NamespaceProperty);
        Assert.Equal(KubeVirtApi.ApiVersion, vmim.ApiVersion);
        Assert.Equal(VirtualMachineInstanceMigration.KindName, vmim.Kind);
        Assert.Equal("vm-1", vmim.Spec.VmiName);
        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-b" }, vmim.Spec.AddedNodeSelector);
        var owner = Assert.Single(vmim.Metadata.OwnerReferences);
        Assert.Equal((NvmeLmApi.ApiVersion, V1Alpha1NvmeMigration.KindName, "move-vm-1", Uid, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller == true));
    }

    [Fact]
    public void NameFor_Should_BeTheSameForTheSameMigration_When_AskedAgain()
    {
        // An operator restarted mid-flow finds its VMIM by this name instead of creating a second one.
        Assert.Equal(VmimRequest.NameFor(Migration()), VmimRequest.NameFor(Migration()));
    }

    [Fact]
    public void NameFor_Should_BeTheUsersVmim_When_TheMigrationWasAdoptedFromIt()
    {
        var adopted = Migration(ownedBy: new V1OwnerReference
        {
            ApiVersion = KubeVirtApi.ApiVersion, Kind = VirtualMachineInstanceMigration.KindName, Name = "users-move", Uid = "u-1", Controller = true,
        });

        Assert.Equal("users-move", VmimRequest.NameFor(adopted));
        Assert.Equal("users-move", VmimRequest.AdoptedFrom(adopted));
        var refused = Assert.Throws<InvalidOperationException>(() => VmimRequest.Build(adopted, "node-b"));
        Assert.Contains("users-move", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdoptedFrom_Should_BeNull_When_TheOwnerIsNotAVmim()
    {
        var owned = Migration(ownedBy: new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "d", Uid = "u-2", Controller = true });

        Assert.Null(VmimRequest.AdoptedFrom(owned));
        Assert.Equal("nvmelm-" + Uid, VmimRequest.NameFor(owned));
    }

    private static V1Alpha1NvmeMigration Migration(V1OwnerReference? ownedBy = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "move-vm-1", NamespaceProperty = "tenant", Uid = Uid, OwnerReferences = ownedBy is null ? null : [ownedBy],
        },
        Spec = new V1Alpha1NvmeMigration.EntitySpec
        {
            VmiName = "vm-1",
            Source = new MigrationSource { Node = "node-a" },
            Destination = new MigrationDestination { Node = "node-b" },
            StateTransfer = StateTransferMode.Vmm,
        },
    };
}

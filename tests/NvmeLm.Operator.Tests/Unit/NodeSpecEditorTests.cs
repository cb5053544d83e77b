using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Tests.Unit;

public sealed class NodeSpecEditorTests
{
    private const string Uid = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10";
    private const string OtherUid = "11111111-2222-3333-4444-555555555555";
    private const string Pf = "0000:01:00.0";

    private static V1Alpha1NvmeNode Node() => new()
    {
        Metadata = new() { Name = "n" },
        Spec = new()
        {
            PhysicalFunctions =
            [
                new PhysicalFunctionSpec
                {
                    Address = Pf, NumVfs = 2, Pool = "p",
                    Secondaries = [new() { VfNumber = 1, Driver = "vfio-pci" }, new() { VfNumber = 2, Driver = "vfio-pci" }],
                },
            ],
        },
    };

    [Fact]
    public void Hold_Should_BeANoOp_When_RepeatedForTheSameOwner()
    {
        var node = Node();

        Assert.Equal(NodeSpecEditor.HoldOutcome.Held, NodeSpecEditor.Hold(node, Pf, 1, SecondaryRole.ResumeTarget, Uid, "vfio-pci"));
        Assert.Equal(NodeSpecEditor.HoldOutcome.AlreadyHeld, NodeSpecEditor.Hold(node, Pf, 1, SecondaryRole.ResumeTarget, Uid, "vfio-pci"));

        var held = node.Spec.PhysicalFunctions![0].Secondaries![0];
        Assert.Equal((SecondaryRole.ResumeTarget, Uid), (held.Role, held.OwnerUid));
    }

    [Fact]
    public void Hold_Should_MarkTheHandOffToTheTargetPod_When_AskedAndReleaseShouldDropIt()
    {
        // stateTransfer: Vmm: the device plugin offers the reserved VF to KubeVirt's target pod only while marked.
        var node = Node();

        NodeSpecEditor.Hold(node, Pf, 1, SecondaryRole.ResumeTarget, Uid, "vfio-pci", handToTargetPod: true);
        var held = node.Spec.PhysicalFunctions![0].Secondaries![0];
        var whileHeld = held.HandToTargetPod;
        NodeSpecEditor.Release(node, Uid);

        Assert.True(whileHeld);
        Assert.Equal((SecondaryRole.Pool, null, null), (held.Role, held.OwnerUid, held.HandToTargetPod));
        NodeSpecEditor.Hold(node, Pf, 1, SecondaryRole.ResumeTarget, Uid, "vfio-pci");
        Assert.Null(held.HandToTargetPod);
    }

    [Fact]
    public void IsReleasedBy_Should_RequireTheSpecReleasedAsWellAsTheAgentsReport()
    {
        var node = Node();
        const string Vf = "0000:01:00.1";
        node.Status = new V1Alpha1NvmeNode.EntityStatus
        {
            ObservedGeneration = 5,
            PhysicalFunctions = [new PhysicalFunctionStatus { Address = Pf, Secondaries = [new SecondaryControllerStatus { VfAddress = Vf, Role = SecondaryRole.Pool }] }],
        };
        node.Metadata.Generation = 5;
        NodeSpecEditor.Hold(node, Pf, 1, SecondaryRole.ResumeTarget, Uid, "vfio-pci");

        // The agent's report says Pool (it has not seen the hold, or saw an older spec): not released while the spec holds.
        Assert.False(NodeInventory.IsReleasedBy(node, Vf, Uid));
        NodeSpecEditor.Release(node, Uid);
        Assert.True(NodeInventory.IsReleasedBy(node, Vf, Uid));
        node.Status.PhysicalFunctions[0].Secondaries![0].Role = SecondaryRole.ResumeTarget;
        node.Status.PhysicalFunctions[0].Secondaries![0].OwnerUid = Uid;
        Assert.False(NodeInventory.IsReleasedBy(node, Vf, Uid));
    }

    [Fact]
    public void IsReleasedBy_Should_WaitForTheAgentToSeeTheRelease_When_ItsReportPredatesTheHold()
    {
        // Hold written (generation 6), released at once (generation 7): the agent's status is still the one of
        // generation 5, from before the hold, and says Pool. That is not the release done: the agent may yet apply
        // generation 6 (lock, suspend) from its cache before it sees 7.
        var node = Node();
        const string Vf = "0000:01:00.1";
        node.Metadata.Generation = 7;
        node.Status = new V1Alpha1NvmeNode.EntityStatus
        {
            ObservedGeneration = 5,
            PhysicalFunctions = [new PhysicalFunctionStatus { Address = Pf, Secondaries = [new SecondaryControllerStatus { VfAddress = Vf, Role = SecondaryRole.Pool }] }],
        };

        Assert.False(NodeInventory.IsReleasedBy(node, Vf, Uid));
        node.Status.ObservedGeneration = 7;
        Assert.True(NodeInventory.IsReleasedBy(node, Vf, Uid));
    }

    [Fact]
    public void Unhold_Should_LetGoOfTheVfButKeepItsOperations()
    {
        var node = Node();
        NodeSpecEditor.Hold(node, Pf, 1, SecondaryRole.ResumeTarget, Uid, "vfio-pci");
        NodeSpecEditor.AddOperation(node, Pf, 1, new NodeOperation
        {
            Id = OperationIds.For(Uid, OperationIds.Resume), Type = NodeOperationType.Resume, VfAddress = "0000:01:00.1", OwnerUid = Uid,
        });

        Assert.False(NodeSpecEditor.Unhold(node, Pf, 1, OtherUid));
        Assert.True(NodeSpecEditor.Unhold(node, Pf, 1, Uid));

        Assert.False(NodeSpecEditor.IsHeldBy(node, Pf, 1, Uid));
        Assert.Equal(SecondaryRole.Pool, NodeSpecEditor.FindSecondary(node, Pf, 1)!.Role);
        Assert.True(NodeSpecEditor.HasOperation(node, OperationIds.For(Uid, OperationIds.Resume)));
        Assert.False(NodeSpecEditor.Unhold(node, Pf, 1, Uid));
    }

    [Fact]
    public void Hold_Should_Refuse_When_AnotherMigrationHoldsTheVf()
    {
        var node = Node();
        NodeSpecEditor.Hold(node, Pf, 2, SecondaryRole.MigrationSource, OtherUid, "vfio-pci");

        Assert.Equal(NodeSpecEditor.HoldOutcome.HeldByOther, NodeSpecEditor.Hold(node, Pf, 2, SecondaryRole.ResumeTarget, Uid, "vfio-pci"));
        Assert.Equal(OtherUid, node.Spec.PhysicalFunctions![0].Secondaries![1].OwnerUid);
    }

    [Fact]
    public void Hold_Should_ReportPfNotManaged_When_NoPoolListsThePfOrVf()
    {
        Assert.Equal(NodeSpecEditor.HoldOutcome.PfNotManaged, NodeSpecEditor.Hold(Node(), "0000:09:00.0", 1, SecondaryRole.ResumeTarget, Uid, "vfio-pci"));
        Assert.Equal(NodeSpecEditor.HoldOutcome.PfNotManaged, NodeSpecEditor.Hold(Node(), Pf, 3, SecondaryRole.ResumeTarget, Uid, "vfio-pci"));
    }

    [Fact]
    public void AddOperation_Should_AddOnceAndOnlyWhileHeld()
    {
        var node = Node();
        var operation = new NodeOperation { Id = OperationIds.For(Uid, OperationIds.Suspend), Type = NodeOperationType.Suspend, VfAddress = "0000:01:00.1", OwnerUid = Uid };

        Assert.False(NodeSpecEditor.AddOperation(node, Pf, 1, operation));
        NodeSpecEditor.Hold(node, Pf, 1, SecondaryRole.MigrationSource, Uid, "vfio-pci");
        Assert.True(NodeSpecEditor.AddOperation(node, Pf, 1, operation));
        Assert.False(NodeSpecEditor.AddOperation(node, Pf, 1, operation));
        Assert.Single(node.Spec.Operations!);
    }

    [Fact]
    public void Release_Should_ReturnVfsAndDropOperationsOfTheOwnerOnly()
    {
        var node = Node();
        NodeSpecEditor.Hold(node, Pf, 1, SecondaryRole.MigrationSource, Uid, "vfio-pci");
        NodeSpecEditor.Hold(node, Pf, 2, SecondaryRole.ResumeTarget, OtherUid, "vfio-pci");
        NodeSpecEditor.AddOperation(node, Pf, 1, new NodeOperation { Id = OperationIds.For(Uid, "suspend"), Type = NodeOperationType.Suspend, VfAddress = "0000:01:00.1", OwnerUid = Uid });
        NodeSpecEditor.AddOperation(node, Pf, 2, new NodeOperation { Id = OperationIds.For(OtherUid, "resume"), Type = NodeOperationType.Resume, VfAddress = "0000:01:00.2", OwnerUid = OtherUid });

        Assert.True(NodeSpecEditor.Release(node, Uid));
        Assert.False(NodeSpecEditor.Release(node, Uid));

        Assert.False(NodeSpecEditor.References(node, Uid));
        Assert.True(NodeSpecEditor.References(node, OtherUid));
        Assert.Equal(SecondaryRole.Pool, node.Spec.PhysicalFunctions![0].Secondaries![0].Role);
        Assert.Single(node.Spec.Operations!);
    }

    [Fact]
    public void OperationIds_Should_FitADnsLabel_When_UidIsFullLength()
    {
        foreach (var step in new[] { OperationIds.Suspend, OperationIds.SaveState, OperationIds.RestoreState, OperationIds.Resume, OperationIds.RollbackResume })
        {
            var id = OperationIds.For(Uid, step);
            Assert.True(id.Length <= 63, id);
            Assert.Matches(NvmeLm.Api.ApiPatterns.Dns1123Label, id);
        }
    }
}

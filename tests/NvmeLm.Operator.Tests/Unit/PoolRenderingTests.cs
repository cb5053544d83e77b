using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Pools;

namespace NvmeLm.Operator.Tests.Unit;

public sealed class PoolRenderingTests
{
    private static PhysicalFunctionStatus Pf(string address, string serial = "s1", bool virt = true) => new()
    {
        Address = address, VendorId = "0x1b36", DeviceId = "0x0010", Model = "QEMU NVMe Ctrl", Serial = serial,
        Capabilities = new ControllerCapabilities { VirtualizationManagement = virt, HostManagedLiveMigration = true },
    };

    private static V1Alpha1NvmeVfPool Pool(string name, int numVfs, DateTime created, ControllerSelector? selector = null) => new()
    {
        Metadata = new() { Name = name, CreationTimestamp = created },
        Spec = new() { NumVfs = numVfs, Queues = 4, ControllerSelector = selector },
    };

    private static V1Alpha1NvmeNode Node(params PhysicalFunctionStatus[] pfs) => new()
    {
        Metadata = new() { Name = "n" },
        Status = new() { PhysicalFunctions = pfs.ToList() },
    };

    [Fact]
    public void SelectsPf_Should_MatchEverySetField_When_SelectorIsGiven()
    {
        var pool = Pool("p", 1, DateTime.UtcNow, new ControllerSelector { VendorId = "0x1B36", Model = "QEMU NVMe Ctrl  ", Serial = "s1" });

        Assert.True(PoolSelector.SelectsPf(pool, Pf("0000:01:00.0")));
        Assert.False(PoolSelector.SelectsPf(pool, Pf("0000:01:00.0", serial: "s2")));
        Assert.False(PoolSelector.SelectsPf(Pool("q", 1, DateTime.UtcNow), Pf("0000:01:00.0", virt: false)));
    }

    [Fact]
    public void Assignment_Should_GiveAContestedPfToTheOldestPool_When_PoolsAreListedInAnyOrder()
    {
        var older = Pool("zeta", 2, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var younger = Pool("alpha", 3, new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        var node = Node(Pf("0000:01:00.0"));

        var assignment = PoolAssignment.For(node, null, PoolSelector.ByAge([younger, older]));

        Assert.Equal("zeta", assignment.Winners["0000:01:00.0"].Metadata.Name);
        Assert.Equal(new PoolConflict("alpha", "n", "0000:01:00.0", "zeta"), Assert.Single(assignment.Conflicts));
    }

    [Fact]
    public void Render_Should_KeepHeldSecondariesAndNumVfs_When_PoolShrinks()
    {
        var node = Node(Pf("0000:01:00.0"));
        var pools = PoolSelector.ByAge([Pool("p", 4, DateTime.UtcNow)]);
        PoolRenderer.Render(node, PoolAssignment.For(node, null, pools));
        var held = node.Spec.PhysicalFunctions![0].Secondaries![2];
        held.Role = SecondaryRole.ResumeTarget;
        held.OwnerUid = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10";

        pools[0].Spec.NumVfs = 2;
        PoolRenderer.Render(node, PoolAssignment.For(node, null, pools));

        var pf = node.Spec.PhysicalFunctions![0];
        Assert.Equal(4, pf.NumVfs);
        Assert.Equal(SecondaryRole.ResumeTarget, pf.Secondaries![2].Role);
        Assert.False(PoolRenderer.Render(node, PoolAssignment.For(node, null, pools)));
    }

    [Fact]
    public void WouldChange_Should_AnswerAsRenderDoes_WithoutChangingTheNode()
    {
        // The operator asks this of its informer's cached object, which it must not change.
        var node = Node(Pf("0000:01:00.0"));
        var pools = PoolSelector.ByAge([Pool("p", 2, DateTime.UtcNow)]);
        string before = k8s.KubernetesJson.Serialize(node);

        Assert.True(PoolRenderer.WouldChange(node, PoolAssignment.For(node, null, pools)));
        Assert.Equal(before, k8s.KubernetesJson.Serialize(node));

        Assert.True(PoolRenderer.Render(node, PoolAssignment.For(node, null, pools)));
        Assert.False(PoolRenderer.WouldChange(node, PoolAssignment.For(node, null, pools)));
        // A pool that changes its size changes the rendering again; the node still only changes when rendered.
        pools[0].Spec.NumVfs = 3;
        string rendered = k8s.KubernetesJson.Serialize(node);
        Assert.True(PoolRenderer.WouldChange(node, PoolAssignment.For(node, null, pools)));
        Assert.Equal(rendered, k8s.KubernetesJson.Serialize(node));
    }

    [Fact]
    public void Render_Should_AskTheAgentToTearDownAPf_When_NoPoolSelectsItAndNothingIsHeld()
    {
        var node = Node(Pf("0000:01:00.0"));
        PoolRenderer.Render(node, PoolAssignment.For(node, null, PoolSelector.ByAge([Pool("p", 2, DateTime.UtcNow)])));

        // The agent only touches listed PFs: numVfs 0 makes it undo its changes (dropping the entry would not).
        Assert.True(PoolRenderer.Render(node, PoolAssignment.For(node, null, [])));
        var pf = Assert.Single(node.Spec.PhysicalFunctions!);
        Assert.Equal(("0000:01:00.0", 0, "p"), (pf.Address, pf.NumVfs, pf.Pool));
        Assert.Empty(pf.Secondaries!);
        Assert.False(PoolRenderer.Render(node, PoolAssignment.For(node, null, [])));
    }

    [Theory]
    [InlineData(7, "True", 7, true)]
    [InlineData(6, "True", 6, false)]
    [InlineData(7, "False", 7, false)]
    [InlineData(7, "True", 6, false)]
    public void Render_Should_DropATornDownPf_OnlyWhen_TheAgentReportsItsGenerationApplied(long observed, string ready, long readyFor, bool dropped)
    {
        var node = Node(Pf("0000:01:00.0"));
        PoolRenderer.Render(node, PoolAssignment.For(node, null, PoolSelector.ByAge([Pool("p", 2, DateTime.UtcNow)])));
        PoolRenderer.Render(node, PoolAssignment.For(node, null, []));
        node.Metadata.Generation = 7;
        node.Status!.ObservedGeneration = observed;
        node.Status.Conditions = [new V1Condition { Type = "Ready", Status = ready, ObservedGeneration = readyFor, Reason = "SpecApplied", Message = "" }];

        Assert.Equal(dropped, PoolRenderer.Render(node, PoolAssignment.For(node, null, [])));
        Assert.Equal(dropped ? 0 : 1, node.Spec.PhysicalFunctions!.Count);
    }

    [Fact]
    public void Render_Should_GiveATornDownPfToANewPool_When_OneSelectsIt()
    {
        var node = Node(Pf("0000:01:00.0"));
        PoolRenderer.Render(node, PoolAssignment.For(node, null, PoolSelector.ByAge([Pool("p", 2, DateTime.UtcNow)])));
        PoolRenderer.Render(node, PoolAssignment.For(node, null, []));

        PoolRenderer.Render(node, PoolAssignment.For(node, null, PoolSelector.ByAge([Pool("q", 3, DateTime.UtcNow)])));

        var pf = Assert.Single(node.Spec.PhysicalFunctions!);
        Assert.Equal((3, "q", 3), (pf.NumVfs, pf.Pool, pf.Secondaries!.Count));
    }

    [Theory]
    [InlineData(new[] { 0 }, new[] { 0, 1 }, true)]
    [InlineData(new[] { 1 }, new[] { 0 }, false)]
    [InlineData(new int[0], new[] { 5 }, true)]
    public void FormatsCompatible_Should_RequireACommonVersion_When_BothListVersions(int[] source, int[] destination, bool expected)
    {
        Assert.Equal(expected, DestinationPicker.FormatsCompatible(
            new ControllerCapabilities { StateFormatVersions = source }, new ControllerCapabilities { StateFormatVersions = destination }));
    }
}

using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.Operator.Tests.KubeVirt;

/// <summary>The Vmm commit guard: KubeVirt's target pod must hold exactly the prepared destination VF.</summary>
public sealed class TargetPodAllocationTests
{
    private const string VmimUid = "5f0c2b8e-0d3a-4c6e-9b7a-1e2d3c4b5a69";
    private const string Prepared = "0000:01:00.3";
    private const string Other = "0000:01:00.1";
    private const string TargetPod = "virt-launcher-vm-1-abcde";
    private static readonly ResolvedEndpoint Destination = new() { Node = "node-b", PfAddress = "0000:01:00.0", VfNumber = 3, VfAddress = Prepared };

    [Fact]
    public void Check_Should_Verify_When_TheTargetPodHoldsThePreparedVf()
    {
        var (verdict, message) = TargetPodAllocation.Check(Vmi(VmimUid), VmimUid, Node((Prepared, TargetPod), (Other, "someone-else")), Destination);

        Assert.Equal(TargetPodAllocation.Verdict.Verified, verdict);
        Assert.Contains(TargetPod, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Should_WaitForKubeVirtAndTheAgent_When_TheTargetPodOrItsAllocationIsNotKnownYet()
    {
        var noState = TargetPodAllocation.Check(Vmi(null), VmimUid, Node((Prepared, TargetPod)), Destination);
        var otherMigration = TargetPodAllocation.Check(Vmi("0b1c2d3e-0000-4000-8000-000000000000"), VmimUid, Node((Prepared, TargetPod)), Destination);
        var notReported = TargetPodAllocation.Check(Vmi(VmimUid), VmimUid, Node(), Destination);

        Assert.Equal(TargetPodAllocation.Verdict.Pending, noState.Verdict);
        Assert.Equal(TargetPodAllocation.Verdict.Pending, otherMigration.Verdict);
        Assert.Equal(TargetPodAllocation.Verdict.Pending, notReported.Verdict);
        Assert.Contains("has not reported", notReported.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Should_FailWithBothPodsOrVfsNamed_When_TheVfOrThePodWentElsewhere()
    {
        var vfTaken = TargetPodAllocation.Check(Vmi(VmimUid), VmimUid, Node((Prepared, "racing-pod")), Destination);
        var podElsewhere = TargetPodAllocation.Check(Vmi(VmimUid), VmimUid, Node((Other, TargetPod)), Destination);

        Assert.Equal(TargetPodAllocation.Verdict.OtherVf, vfTaken.Verdict);
        Assert.Contains("default/racing-pod", vfTaken.Message, StringComparison.Ordinal);
        Assert.Equal(TargetPodAllocation.Verdict.OtherVf, podElsewhere.Verdict);
        Assert.Contains($"got VF {Other} on node-b instead of the prepared VF {Prepared}", podElsewhere.Message, StringComparison.Ordinal);
    }

    private static VirtualMachineInstance Vmi(string? migrationUid) => new()
    {
        Metadata = new V1ObjectMeta { Name = "vm-1", NamespaceProperty = "default" },
        Status = new VmiStatus
        {
            MigrationState = migrationUid is null ? null : new VmiMigrationState { TargetNode = "node-b", TargetPod = TargetPod, MigrationUid = migrationUid },
        },
    };

    private static V1Alpha1NvmeNode Node(params (string Vf, string Pod)[] allocations) => new()
    {
        Metadata = new V1ObjectMeta { Name = "node-b" },
        Status = new V1Alpha1NvmeNode.EntityStatus
        {
            PhysicalFunctions =
            [
                new PhysicalFunctionStatus
                {
                    Address = "0000:01:00.0",
                    Secondaries = [.. new[] { Other, "0000:01:00.2", Prepared }.Select((vf, i) => new SecondaryControllerStatus
                    {
                        VfNumber = i + 1,
                        VfAddress = vf,
                        AllocatedTo = allocations.Where(a => a.Vf == vf).Select(a => new PodAllocation { Namespace = "default", Pod = a.Pod, Container = "compute" }).ToList() is { Count: > 0 } list ? list : null,
                    })],
                },
            ],
        },
    };
}

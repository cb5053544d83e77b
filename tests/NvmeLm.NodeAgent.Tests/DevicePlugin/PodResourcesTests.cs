using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.NodeAgent.Tests.Agent;

namespace NvmeLm.NodeAgent.Tests.DevicePlugin;

/// <summary>Allocations the kubelet reports through PodResources land in the NvmeNode status (allocatedTo, allocatedVfCount).</summary>
[Collection(AgentCollection.Name)]
public sealed class PodResourcesTests
{
    [Fact]
    public async Task Status_Should_CarryAllocatedToWithThePodUid_When_TheKubeletAllocatedAVf()
    {
        await using PluginNode node = await PluginNode.StartWithPoolAsync();
        V1Pod pod = await node.Cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "virt-launcher-vm-a" },
            Spec = new V1PodSpec { NodeName = PluginNode.NodeName, Containers = [new V1Container { Name = "compute", Image = "virt-launcher" }] },
        }, "default");

        // The kubelet admits the pod: Allocate, then PodResources lists the assignment.
        Assert.True((bool?)(await node.Kubelet.AllocateAsync(PluginNode.Resource, AgentHosts.Vf1))["ok"]);
        await node.Kubelet.SetPodsAsync(("default", "virt-launcher-vm-a", "compute", PluginNode.Resource, [AgentHosts.Vf1]));
        V1Alpha1NvmeNode allocated = await node.Cluster.WaitForStatusAsync(PluginNode.NodeName, n => n.Status!.AllocatedVfCount == 1, "allocatedTo published");
        // The pod is gone.
        await node.Kubelet.SetPodsAsync();
        V1Alpha1NvmeNode freed = await node.Cluster.WaitForStatusAsync(PluginNode.NodeName, n => n.Status!.AllocatedVfCount == 0, "allocatedTo cleared");

        SecondaryControllerStatus vf1 = Secondary(allocated, AgentHosts.Vf1);
        PodAllocation allocation = Assert.Single(vf1.AllocatedTo!);
        Assert.Equal(("default", "virt-launcher-vm-a", "compute", pod.Metadata.Uid), (allocation.Namespace, allocation.Pod, allocation.Container, allocation.PodUid));
        Assert.Null(Secondary(allocated, AgentHosts.Vf2).AllocatedTo);
        Assert.Null(Secondary(freed, AgentHosts.Vf1).AllocatedTo);
    }

    private static SecondaryControllerStatus Secondary(V1Alpha1NvmeNode node, string vf) =>
        node.Status!.PhysicalFunctions!.SelectMany(p => p.Secondaries ?? []).Single(s => s.VfAddress == vf);
}

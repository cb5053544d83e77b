using System.Text.Json.Nodes;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.NodeAgent.Tests.Agent;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.DevicePlugin;

/// <summary>What the kubelet gets from Allocate and GetPreferredAllocation, over the real protocol.</summary>
[Collection(AgentCollection.Name)]
public sealed class AllocateTests
{
    private const string Healthy = KubeletApi.Healthy;
    private const string Unhealthy = KubeletApi.Unhealthy;
    private const string Uid = "3b0c3d8e-1f35-4c57-9d3e-5e4d8e7f9a10";

    [Fact]
    public async Task Allocate_Should_AnswerVfioNodesAndBothEnvironmentVariables_When_AHealthyVfIsAsked()
    {
        await using PluginNode node = await PluginNode.StartWithPoolAsync();
        int group = (await node.Cluster.GetNodeAsync(PluginNode.NodeName)).Status!.PhysicalFunctions!
            .Single(p => p.Address == AgentHosts.MigratablePf.ToString()).Secondaries!.Single(s => s.VfAddress == AgentHosts.Vf2).IommuGroup!.Value;

        JsonObject reply = await node.Kubelet.AllocateAsync(PluginNode.Resource, AgentHosts.Vf2);

        Assert.True((bool?)reply["ok"], reply.ToJsonString());
        JsonObject container = Assert.Single(reply["response"]!["container_responses"]!.AsArray())!.AsObject();
        var devices = container["devices"]!.AsArray().Select(d => ((string?)d!["container_path"], (string?)d["host_path"], (string?)d["permissions"])).ToList();
        Assert.Equal([("/dev/vfio/vfio", "/dev/vfio/vfio", "mrw"), ($"/dev/vfio/{group}", $"/dev/vfio/{group}", "mrw")], devices);
        var envs = container["envs"]!.AsObject().ToDictionary(e => e.Key, e => (string?)e.Value);
        Assert.Equal(new Dictionary<string, string?>
        {
            // KubeVirt's rule keeps the hyphen (reference §1).
            ["PCI_RESOURCE_NVMELM_IO_MIGRATABLE-VF"] = AgentHosts.Vf2,
            ["PCIDEVICE_NVMELM_IO_MIGRATABLE-VF"] = AgentHosts.Vf2,
        }, envs);
    }

    [Fact]
    public async Task Allocate_Should_RefuseWithAClearError_When_AMigrationHoldsTheVfOrTheIdIsUnknown()
    {
        await using PluginNode node = await PluginNode.StartAsync();
        await node.ApplyAsync(PluginNode.Hold(PluginNode.PoolPf(AgentHosts.MigratablePf.ToString(), 2), 1, SecondaryRole.ResumeTarget, Uid));
        await node.WaitForDevicesAsync("VF 1 held", (AgentHosts.Vf1, Unhealthy), (AgentHosts.Vf2, Healthy));

        JsonObject heldReply = await node.Kubelet.AllocateAsync(PluginNode.Resource, AgentHosts.Vf1);
        JsonObject mixedReply = await node.Kubelet.AllocateAsync(PluginNode.Resource, AgentHosts.Vf2, AgentHosts.Vf1);
        JsonObject unknownReply = await node.Kubelet.AllocateAsync(PluginNode.Resource, "0000:09:00.1");

        Assert.False((bool?)heldReply["ok"]);
        Assert.Equal("FAILED_PRECONDITION", (string?)heldReply["code"]);
        Assert.Contains(AgentHosts.Vf1, (string?)heldReply["details"], StringComparison.Ordinal);
        Assert.Contains(Uid, (string?)heldReply["details"], StringComparison.Ordinal);
        // One bad ID refuses the whole request: nothing is half-allocated.
        Assert.Equal("FAILED_PRECONDITION", (string?)mixedReply["code"]);
        Assert.Equal("NOT_FOUND", (string?)unknownReply["code"]);
        Assert.Contains("0000:09:00.1", (string?)unknownReply["details"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreferredAllocation_Should_SpreadOverPfsAndNeverOfferAHeldVf()
    {
        await using PluginNode node = await PluginNode.StartAsync();
        await node.ApplyAsync(
            PluginNode.Hold(PluginNode.PoolPf(AgentHosts.MigratablePf.ToString(), 3), 1, SecondaryRole.MigrationSource, Uid),
            PluginNode.PoolPf(AgentHosts.PlainPf.ToString(), 2));
        await node.WaitForDevicesAsync("five VFs, the held one unhealthy",
            ("0000:01:00.1", Unhealthy), ("0000:01:00.2", Healthy), ("0000:01:00.3", Healthy), ("0000:02:00.1", Healthy), ("0000:02:00.2", Healthy));
        string[] all = ["0000:01:00.1", "0000:01:00.2", "0000:01:00.3", "0000:02:00.1", "0000:02:00.2"];

        IReadOnlyList<string> two = await node.Kubelet.PreferredAsync(PluginNode.Resource, all, [], 2);
        IReadOnlyList<string> withMust = await node.Kubelet.PreferredAsync(PluginNode.Resource, all, ["0000:01:00.2"], 2);
        // A pod already has 0000:02:00.1: the next single VF comes from the other PF.
        await node.Kubelet.SetPodsAsync(("default", "vm-a", "compute", PluginNode.Resource, ["0000:02:00.1"]));
        await node.Cluster.WaitForStatusAsync(PluginNode.NodeName, n => n.Status!.AllocatedVfCount == 1, "the allocation seen by the agent");
        IReadOnlyList<string> afterAllocation = await node.Kubelet.PreferredAsync(PluginNode.Resource, all.Where(id => id != "0000:02:00.1"), [], 1);

        Assert.Equal(["0000:01:00.2", "0000:02:00.1"], two);
        Assert.Equal(["0000:01:00.2", "0000:02:00.1"], withMust);
        Assert.Equal(["0000:01:00.2"], afterAllocation);
        Assert.DoesNotContain("0000:01:00.1", two.Concat(withMust).Concat(afterAllocation));
    }

    [Fact]
    public async Task VmmDestination_Should_BeAdvertisedHealthyOfferedFirstAndAllocatable_When_TheSpecHandsItToTheTargetPod()
    {
        // Issue 11: a stateTransfer: Vmm destination is reserved (ResumeTarget) for KubeVirt's target pod; the kubelet
        // does not say which pod asks, so the plugin offers the reserved VF first for its resource.
        await using PluginNode node = await PluginNode.StartAsync();
        PhysicalFunctionSpec migratable = PluginNode.Hold(PluginNode.PoolPf(AgentHosts.MigratablePf.ToString(), 3), 3, SecondaryRole.ResumeTarget, Uid);
        migratable.Secondaries!.Single(s => s.VfNumber == 3).HandToTargetPod = true;
        await node.ApplyAsync(migratable, PluginNode.PoolPf(AgentHosts.PlainPf.ToString(), 2));
        await node.WaitForDevicesAsync("five VFs, the reserved one healthy",
            ("0000:01:00.1", Healthy), ("0000:01:00.2", Healthy), ("0000:01:00.3", Healthy), ("0000:02:00.1", Healthy), ("0000:02:00.2", Healthy));
        string[] all = ["0000:01:00.1", "0000:01:00.2", "0000:01:00.3", "0000:02:00.1", "0000:02:00.2"];

        IReadOnlyList<string> one = await node.Kubelet.PreferredAsync(PluginNode.Resource, all, [], 1);
        IReadOnlyList<string> two = await node.Kubelet.PreferredAsync(PluginNode.Resource, all, [], 2);
        // Once the target pod has it, the kubelet no longer lists it: other pods get the usual spread.
        IReadOnlyList<string> afterIt = await node.Kubelet.PreferredAsync(PluginNode.Resource, all.Where(id => id != "0000:01:00.3"), [], 1);
        JsonObject reply = await node.Kubelet.AllocateAsync(PluginNode.Resource, "0000:01:00.3");

        Assert.Equal(["0000:01:00.3"], one);
        Assert.Equal(["0000:01:00.3", "0000:02:00.1"], two);
        Assert.Equal(["0000:01:00.1"], afterIt);
        Assert.True((bool?)reply["ok"], reply.ToJsonString());
        VfDevice reserved = node.Agent.Devices.Snapshot.DevicesOf(PluginNode.Resource).Single(d => d.Id == "0000:01:00.3");
        Assert.Equal((VfUnhealthyCauses.None, Uid, true), (reserved.Unhealthy, reserved.HeldBy, reserved.ForTargetPod));
    }

    /// <summary>The simulator's one-shot mode, which the QEMU e2e can use to get a real Allocate answer from an agent.</summary>
    [Fact]
    public async Task AllocateOnce_Should_PrintThePluginsAnswer_When_RunAsAOneShotKubelet()
    {
        await using var cluster = await AgentCluster.StartAsync();
        string directory = cluster.NewJournalDirectory();
        await cluster.StartAgentAsync(cluster.Options(PluginNode.NodeName, AgentHosts.Create(), directory) with
        {
            DevicePlugin = new DevicePluginSettings { Directory = Path.Combine(directory, "device-plugins"), PodResourcesSocket = null },
        });
        await cluster.UpdateSpecAsync(PluginNode.NodeName, spec => spec.PhysicalFunctions = [PluginNode.PoolPf(AgentHosts.MigratablePf.ToString(), 2)]);

        string allocationFile = Path.Combine(directory, "allocation");
        ProcessResult result = await ProcessRunner.RunAsync(KubeletSimulator.Python,
            [KubeletSimulator.Script, "--dir", Path.Combine(directory, "device-plugins"), "--protos", KubeletSimulator.ProtoRoot,
             "allocate-once", "--resource", PluginNode.Resource, "--count", "1", "--timeout", "60", "--allocation-file", allocationFile], TimeSpan.FromSeconds(90));

        Assert.True(result.ExitCode == 0, result.StandardError);
        JsonObject answer = JsonNode.Parse(result.StandardOutput)!.AsObject();
        string vf = (string)answer["devices"]![0]!;
        Assert.Equal(vf, (string?)answer["response"]!["container_responses"]![0]!["envs"]!["PCI_RESOURCE_NVMELM_IO_MIGRATABLE-VF"]);
        Assert.Contains(answer["response"]!["container_responses"]![0]!["devices"]!.AsArray(), d => (string?)d!["host_path"] == "/dev/vfio/vfio");
        // The same answer as the lines the QEMU e2e's VM reads (tests/e2e/guest/vm.sh): envs sorted, then device nodes.
        string[] lines = File.ReadAllLines(allocationFile).Where(l => !l.StartsWith('#')).ToArray();
        string[] devices = answer["response"]!["container_responses"]![0]!["devices"]!.AsArray().Select(d => "device " + (string)d!["container_path"]!).ToArray();
        Assert.Equal(["env PCIDEVICE_NVMELM_IO_MIGRATABLE-VF=" + vf, "env PCI_RESOURCE_NVMELM_IO_MIGRATABLE-VF=" + vf, .. devices], lines);
    }
}

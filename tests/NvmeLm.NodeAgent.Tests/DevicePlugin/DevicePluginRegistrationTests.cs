using System.Text.Json.Nodes;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.NodeAgent.Tests.Agent;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.DevicePlugin;

/// <summary>The plugin's life with the kubelet, over the real protocol: serve, register, re-register after a kubelet restart, withdraw.</summary>
[Collection(AgentCollection.Name)]
public sealed class DevicePluginRegistrationTests
{
    private const string Healthy = KubeletApi.Healthy;

    [Fact]
    public async Task Plugin_Should_RegisterAndListThePoolVfs_When_APoolNamesAResource()
    {
        await using PluginNode node = await PluginNode.StartAsync();

        await node.ApplyAsync(PluginNode.PoolPf(AgentHosts.MigratablePf.ToString(), 2));
        await node.WaitForDevicesAsync("both pool VFs listed healthy", (AgentHosts.Vf1, Healthy), (AgentHosts.Vf2, Healthy));

        JsonObject registered = Assert.Single(node.Kubelet.Registrations(PluginNode.Resource));
        Assert.Equal(KubeletApi.DevicePluginVersion, (string?)registered["version"]);
        Assert.Equal(DevicePluginSettings.EndpointFor(PluginNode.Resource), (string?)registered["endpoint"]);
        Assert.True((bool?)registered["options"]!["get_preferred_allocation_available"]);
        Assert.False((bool?)registered["options"]!["pre_start_required"]);
        // Served before registering: the kubelet dialled the endpoint it was given and got the options and a list.
        Assert.Contains(node.Kubelet.Events, e => KubeletSimulator.Kind(e) == "options" && (string?)e["resource"] == PluginNode.Resource);
        Assert.True(File.Exists(Path.Combine(node.Kubelet.Directory, DevicePluginSettings.EndpointFor(PluginNode.Resource))));
    }

    [Fact]
    public async Task Plugin_Should_ServeAgainAndReregister_When_TheKubeletRestarts()
    {
        await using PluginNode node = await PluginNode.StartWithPoolAsync();
        int listsBefore = node.Kubelet.Events.Count(e => KubeletSimulator.Kind(e) == "devices");

        // The kubelet deletes every socket in its directory (ours too) and serves kubelet.sock anew.
        await node.Kubelet.RestartAsync();
        await node.Kubelet.WaitForAsync(k => k.Registrations(PluginNode.Resource).Count == 2, "a second registration");
        await node.Kubelet.WaitForAsync(
            k => k.Events.Count(e => KubeletSimulator.Kind(e) == "devices") > listsBefore, "ListAndWatch from the new kubelet");

        Assert.Equal(2, node.Kubelet.Devices(PluginNode.Resource)!.Count(d => d.Value == Healthy));
        Assert.True(File.Exists(Path.Combine(node.Kubelet.Directory, DevicePluginSettings.EndpointFor(PluginNode.Resource))));
    }

    [Fact]
    public async Task Plugin_Should_StopAdvertising_When_NoPoolUsesTheResourceAnyMore()
    {
        await using PluginNode node = await PluginNode.StartWithPoolAsync();

        // The pool now advertises under another name: the old resource goes, the new one registers.
        await node.ApplyAsync(PluginNode.PoolPf(AgentHosts.MigratablePf.ToString(), 2, "nvmelm.io/other-vf"));
        await node.Kubelet.WaitForEventAsync(
            e => KubeletSimulator.Kind(e) == "stream_ended" && (string?)e["resource"] == PluginNode.Resource, "the old resource's stream ended");
        await node.Kubelet.WaitForAsync(k => k.Registrations("nvmelm.io/other-vf").Count == 1, "the new resource registered");

        Assert.False(File.Exists(Path.Combine(node.Kubelet.Directory, DevicePluginSettings.EndpointFor(PluginNode.Resource))));
        Assert.Single(node.Kubelet.Registrations(PluginNode.Resource));
    }
}

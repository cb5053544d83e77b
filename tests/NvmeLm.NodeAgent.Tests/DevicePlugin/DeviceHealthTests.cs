using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.NodeAgent.Tests.Agent;

namespace NvmeLm.NodeAgent.Tests.DevicePlugin;

/// <summary>
/// Honest health (issue 10): each cause makes ListAndWatch send the VF Unhealthy, and its end sends it Healthy again.
/// Hardware faults persist until cleared, because the agent's resync corrects a one-off change before it could show.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class DeviceHealthTests
{
    private const string Healthy = KubeletApi.Healthy;
    private const string Unhealthy = KubeletApi.Unhealthy;
    private const string Uid = "7d3c7ef5-3c5e-4ad4-9f0b-2f0ad1b8f0c1";

    [Fact]
    public async Task ListAndWatch_Should_SendUnhealthyThenHealthy_When_AMigrationHoldsTheVfThenReleasesIt()
    {
        await using PluginNode node = await PluginNode.StartWithPoolAsync();
        string pf = AgentHosts.MigratablePf.ToString();

        await node.ApplyAsync(PluginNode.Hold(PluginNode.PoolPf(pf, 2), 2, SecondaryRole.MigrationSource, Uid));
        await node.WaitForDevicesAsync("VF 2 unhealthy while held", (AgentHosts.Vf1, Healthy), (AgentHosts.Vf2, Unhealthy));
        VfDevice heldDevice = node.Agent.Devices.Snapshot.DevicesOf(PluginNode.Resource).Single(d => d.Id == AgentHosts.Vf2);
        await node.ApplyAsync(PluginNode.PoolPf(pf, 2));
        await node.WaitForDevicesAsync("VF 2 healthy once released", (AgentHosts.Vf1, Healthy), (AgentHosts.Vf2, Healthy));

        Assert.Equal(VfUnhealthyCauses.HeldByMigration, heldDevice.Unhealthy);
        Assert.Equal(Uid, heldDevice.HeldBy);
    }

    [Fact]
    public async Task ListAndWatch_Should_SendUnhealthy_When_TheSecondaryIsOfflineAndCannotBeBroughtOnline()
    {
        await using PluginNode node = await PluginNode.StartWithPoolAsync();

        // Someone takes VF 1's secondary offline, and the controller refuses to bring it back.
        (VfUnhealthyCauses vf1, VfUnhealthyCauses vf2) = await BreakThenHealAsync(node, () =>
        {
            node.Host.Faults.FailCommand(NvmeAdminOpcode.VirtualizationManagement, 0x0006, select: VirtualizationManagementFields.ActSecondaryOnline, count: int.MaxValue);
            SendToPf(node, VirtualizationManagementCommand.SecondaryOffline(1));
        });

        // VF 1 is offline; the PF's apply, which tried to bring it online, failed, and an apply is per PF, so VF 2 is
        // unhealthy too, for that reason only.
        Assert.Equal(VfUnhealthyCauses.SecondaryOffline | VfUnhealthyCauses.ApplyFailed, vf1);
        Assert.Equal(VfUnhealthyCauses.ApplyFailed, vf2);
    }

    [Fact]
    public async Task ListAndWatch_Should_SendUnhealthy_When_TheVfIsNotOnItsPoolDriver()
    {
        await using PluginNode node = await PluginNode.StartWithPoolAsync();

        // VF 1 is unbound by hand and vfio-pci refuses to take it back.
        (VfUnhealthyCauses vf1, VfUnhealthyCauses vf2) = await BreakThenHealAsync(node, () =>
        {
            node.Host.Faults.FailWrite("vfio-pci/bind", Errnos.EIO, count: int.MaxValue);
            node.Host.WriteAllText("/sys/bus/pci/drivers/vfio-pci/unbind", AgentHosts.Vf1);
        });

        Assert.Equal(VfUnhealthyCauses.NotOnPoolDriver | VfUnhealthyCauses.ApplyFailed, vf1);
        Assert.Equal(VfUnhealthyCauses.ApplyFailed, vf2);
    }

    [Fact]
    public async Task ListAndWatch_Should_SendEveryVfOfThePfUnhealthy_When_ThePfControllerCannotBeRead()
    {
        await using PluginNode node = await PluginNode.StartWithPoolAsync();

        // Identify fails (Internal Error): the PF is degraded, nothing about its VFs is known to be right.
        (_, VfUnhealthyCauses vf2) = await BreakThenHealAsync(node,
            () => node.Host.Faults.FailCommand(NvmeAdminOpcode.Identify, 0x0006, count: int.MaxValue));

        // Applying needs Identify too, so the apply failed as well.
        Assert.True(vf2.HasFlag(VfUnhealthyCauses.PfDegraded), vf2.ToString());
    }

    /// <summary>Breaks the host, waits until both VFs are sent Unhealthy, clears the faults, waits until both are sent Healthy again.</summary>
    private static async Task<(VfUnhealthyCauses Vf1, VfUnhealthyCauses Vf2)> BreakThenHealAsync(PluginNode node, Action breakIt)
    {
        breakIt();
        await node.WaitForDevicesAsync("both unhealthy", (AgentHosts.Vf1, Unhealthy), (AgentHosts.Vf2, Unhealthy));
        (VfUnhealthyCauses, VfUnhealthyCauses) causes = (node.CausesOf(AgentHosts.Vf1), node.CausesOf(AgentHosts.Vf2));
        node.Host.Faults.Clear();
        await node.WaitForDevicesAsync("both healthy again", (AgentHosts.Vf1, Healthy), (AgentHosts.Vf2, Healthy));
        return causes;
    }

    private static void SendToPf(PluginNode node, VirtualizationManagementCommand command)
    {
        using INvmeAdminDevice device = node.Host.CreateHardware().Nvme.Open("/dev/nvme0");
        new NvmeAdminClient(device).VirtualizationManagement(command.Action, command.ResourceType, command.ControllerId, command.ResourceCount);
    }
}

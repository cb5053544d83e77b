using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;

namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>Builds the <see cref="NvmeAdminAction"/>s the steps plan, from the shared command encoders.</summary>
public static class NvmeActions
{
    public static NvmeAdminAction VirtualizationManagement(PciAddress pf, string device, VirtualizationManagementCommand command) =>
        new(pf, device, command.Name, [NvmeAdminAction.View(command.Name, command.ToEntry(), 0)],
            client => client.VirtualizationManagement(command.Action, command.ResourceType, command.ControllerId, command.ResourceCount));

    public static NvmeAdminAction Suspend(PciAddress pf, string device, ushort scid)
    {
        MigrationSendCommand command = MigrationSendCommand.Suspend(scid);
        return new(pf, device, command.Name, [NvmeAdminAction.View(command.Name, command.ToEntry(), 0)], client => client.Suspend(scid));
    }

    public static NvmeAdminAction Resume(PciAddress pf, string device, ushort scid)
    {
        MigrationSendCommand command = MigrationSendCommand.Resume(scid);
        return new(pf, device, command.Name, [NvmeAdminAction.View(command.Name, command.ToEntry(), 0)], client => client.Resume(scid));
    }

    /// <summary>Set Controller State: the listed commands and the sent ones are one <see cref="SetControllerStatePlan"/>.</summary>
    public static NvmeAdminAction SetControllerState(PciAddress pf, string device, ushort scid, byte[] state)
    {
        SetControllerStatePlan plan = SetControllerStatePlan.For(scid, state.Length);
        var views = plan.Chunks.Select(c => NvmeAdminAction.View(c.Command.Name, c.Command.ToEntry(), c.Length)).ToList();
        string name = $"Migration Send (Set Controller State, {state.Length} bytes, CNTLID {scid})";
        return new(pf, device, name, views, client => client.SetControllerState(plan, state));
    }

    /// <summary>Get Controller State: the 48-byte header first (its size fields give the rest), then chunks (a read).</summary>
    public static NvmeAdminAction GetControllerState(PciAddress pf, string device, ushort scid, Action<ControllerStateRead> onRead)
    {
        MigrationReceiveCommand header = MigrationReceiveCommand.GetControllerState(scid, 0, ControllerStateHeaderLayout.Size);
        string name = $"Migration Receive (Get Controller State, header then {NvmeAdminClient.DefaultStateChunkBytes}-byte chunks, CNTLID {scid})";
        return new(pf, device, name, [NvmeAdminAction.View(header.Name, header.ToEntry(), header.DataLength)],
            client => onRead(client.GetControllerState(scid)), changesHost: false);
    }
}

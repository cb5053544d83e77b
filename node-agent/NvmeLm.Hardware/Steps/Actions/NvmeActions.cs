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

    /// <summary>Set Controller State in the same chunks <see cref="NvmeAdminClient.SetControllerState"/> sends.</summary>
    public static NvmeAdminAction SetControllerState(PciAddress pf, string device, ushort scid, byte[] state)
    {
        int chunk = NvmeAdminClient.DefaultStateChunkBytes;
        int chunks = (state.Length + chunk - 1) / chunk;
        var views = new List<NvmeCommandView>(chunks);
        for (int i = 0; i < chunks; i++)
        {
            int offset = i * chunk;
            int length = Math.Min(chunk, state.Length - offset);
            byte sequence = chunks == 1 ? MigrationFields.SequenceOnly
                : i == 0 ? MigrationFields.SequenceFirst
                : i == chunks - 1 ? MigrationFields.SequenceLast
                : MigrationFields.SequenceMiddle;
            MigrationSendCommand command = MigrationSendCommand.SetControllerState(scid, sequence, (ulong)offset, length);
            views.Add(NvmeAdminAction.View(command.Name, command.ToEntry(), length));
        }

        string name = $"Migration Send (Set Controller State, {state.Length} bytes, CNTLID {scid})";
        return new(pf, device, name, views, client => client.SetControllerState(scid, state, chunk));
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

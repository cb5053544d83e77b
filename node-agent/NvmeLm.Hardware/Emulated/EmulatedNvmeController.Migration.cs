using NvmeLm.Hardware.Nvme;
using M = NvmeLm.Hardware.Nvme.MigrationFields;

namespace NvmeLm.Hardware.Emulated;

// TP4159 Migration Send (0x41) / Migration Receive (0x42) on the primary's admin queue; CNTLID names the
// secondary (reference §4a). Only present when the PF is configured with live migration (OACS bit 11).
internal sealed partial class EmulatedNvmeController
{
    private NvmeRawCompletion MigrationSend(Command command, ReadOnlySpan<byte> data)
    {
        var pf = _primary!;
        if (pf.FindSecondary(command.ControllerIdInCdw11) is not { } secondary)
        {
            return Fail(NvmeStatusCode.InvalidControllerIdentifier);
        }

        switch (command.Select)
        {
            case M.SendSelectSuspend:
                return Suspend(secondary, (byte)((command.Cdw11 >> M.SuspendTypeShift) & M.SuspendTypeMask));
            case M.SendSelectResume:
                if (!secondary.Suspended)
                {
                    return Fail(NvmeStatusCode.ControllerNotSuspended);
                }

                secondary.Suspended = false;
                secondary.PendingState = null;
                return Success(0);
            case M.SendSelectSetControllerState:
                return SetControllerState(pf, secondary, command, data);
            default:
                return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }
    }

    /// <summary>STYPE 0 only notifies; STYPE 1 suspends. An offline secondary has nothing to suspend (0x4120).</summary>
    private static NvmeRawCompletion Suspend(EmulatedSecondaryController secondary, byte suspendType)
    {
        if (suspendType is not (M.SuspendTypeNotification or M.SuspendTypeSuspend))
        {
            return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }

        if (!secondary.Online)
        {
            return Fail(NvmeStatusCode.InvalidSecondaryControllerState);
        }

        if (suspendType == M.SuspendTypeSuspend)
        {
            secondary.Suspended = true;
        }

        return Success(0);
    }

    /// <summary>
    /// Accumulates chunks by SEQIND (first/middle/last/only) at increasing byte offsets; NUMD is a plain dword
    /// count here (libnvme). On last/only the whole state is checked and becomes the controller's state.
    /// </summary>
    private static NvmeRawCompletion SetControllerState(EmulatedPhysicalFunction pf, EmulatedSecondaryController secondary, Command command, ReadOnlySpan<byte> data)
    {
        if (!secondary.Suspended)
        {
            return Fail(NvmeStatusCode.ControllerNotSuspended);
        }

        int sequence = command.ManagementOperationSpecific & M.SequenceIndicatorMask;
        int versionIndex = (int)((command.Cdw11 >> M.SendStateVersionIndexShift) & 0xFF);
        long length = (long)command.Cdw15 * 4;
        if (versionIndex >= pf.Config.StateFormatVersions.Count || length > data.Length || length == 0)
        {
            return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }

        bool starts = sequence is M.SequenceFirst or M.SequenceOnly;
        if (starts)
        {
            secondary.PendingState = [];
        }
        else if (secondary.PendingState is null)
        {
            return Fail(NvmeStatusCode.CommandSequenceError);
        }

        if (command.Offset != (ulong)secondary.PendingState!.Count || secondary.PendingState.Count + length > EmulatedControllerState.MaxBytes)
        {
            secondary.PendingState = null;
            return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }

        secondary.PendingState.AddRange(data[..(int)length]);
        if (sequence is M.SequenceLast or M.SequenceOnly)
        {
            byte[] state = secondary.PendingState.ToArray();
            secondary.PendingState = null;
            if (!EmulatedControllerState.IsValid(state, pf.Config.StateFormatVersions))
            {
                return Fail(NvmeStatusCode.InvalidFieldInCommand);
            }

            secondary.RestoredState = state;
        }

        return Success(0);
    }

    /// <summary>Get Controller State: bytes [offset, offset + (NUMD+1)·4) of the state; DW0 bit 0 = CSUP.</summary>
    private static NvmeRawCompletion MigrationReceiveOn(EmulatedPhysicalFunction pf, Command command, Span<byte> data)
    {
        if (command.Select != M.ReceiveSelectGetControllerState)
        {
            return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }

        if (pf.FindSecondary(command.ControllerIdInCdw11) is not { } secondary)
        {
            return Fail(NvmeStatusCode.InvalidControllerIdentifier);
        }

        int versionIndex = command.ManagementOperationSpecific & 0xFF;
        if (versionIndex >= pf.Config.StateFormatVersions.Count)
        {
            return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }

        byte[] state = EmulatedControllerState.Current(pf, secondary, (ushort)pf.Config.StateFormatVersions[versionIndex]);
        if (command.Offset > (ulong)state.Length)
        {
            return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }

        long requested = ((long)command.Cdw15 + 1) * 4;
        int length = (int)Math.Min(Math.Min(requested, data.Length), state.Length - (long)command.Offset);
        data.Clear();
        state.AsSpan((int)command.Offset, length).CopyTo(data);
        return Success(secondary.Suspended ? M.CompletionControllerSuspended : 0);
    }

    private NvmeRawCompletion MigrationReceive(Command command, Span<byte> data) => MigrationReceiveOn(_primary!, command, data);
}

using System.Buffers.Binary;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// Executes one admin command on an emulated controller by decoding the raw 64-byte SQE at the
/// <see cref="SubmissionEntryLayout"/> offsets, exactly the bytes the ioctl path would hand the kernel.
/// A PF's controller is a primary (Identify 0x01/0x14/0x15/0x20, Virtualization Management, TP4159);
/// a VF bound to nvme is a secondary that answers Identify Controller and reports CONTROLLER_SUSPENDED while
/// suspended. Constructed per command, under the host's lock.
/// </summary>
internal sealed partial class EmulatedNvmeController
{
    private readonly EmulatedPhysicalFunction? _primary;
    private readonly EmulatedPciFunction _function;

    public EmulatedNvmeController(EmulatedPhysicalFunction? primary, EmulatedPciFunction function)
    {
        _primary = primary;
        _function = function;
    }

    public NvmeRawCompletion Execute(ReadOnlySpan<byte> sqe, Span<byte> data)
    {
        var command = new Command(
            sqe[SubmissionEntryLayout.Opcode],
            Dword(sqe, SubmissionEntryLayout.Cdw10),
            Dword(sqe, SubmissionEntryLayout.Cdw11),
            Dword(sqe, SubmissionEntryLayout.Cdw12),
            Dword(sqe, SubmissionEntryLayout.Cdw13),
            Dword(sqe, SubmissionEntryLayout.Cdw14),
            Dword(sqe, SubmissionEntryLayout.Cdw15));

        if (_primary is null)
        {
            return ExecuteOnSecondary(command, data);
        }

        bool liveMigration = _primary.Config.LiveMigration;
        return command.Opcode switch
        {
            NvmeAdminOpcode.Identify => Identify(command, data),
            NvmeAdminOpcode.VirtualizationManagement when _primary.Config.TotalVfs > 0 => VirtualizationManagement(command),
            NvmeAdminOpcode.MigrationSend when liveMigration => MigrationSend(command, data),
            NvmeAdminOpcode.MigrationReceive when liveMigration => MigrationReceive(command, data),
            _ => Fail(NvmeStatusCode.InvalidCommandOpcode),
        };
    }

    /// <summary>A VF's own admin queue: nothing runs while its secondary is suspended (reference §4a).</summary>
    private NvmeRawCompletion ExecuteOnSecondary(Command command, Span<byte> data)
    {
        var pf = _function.Parent!;
        var secondary = pf.SecondaryOf(_function);
        if (secondary.Suspended)
        {
            // Not DNR: the same command succeeds after Resume.
            return Fail(NvmeStatusCode.ControllerSuspended, doNotRetry: false);
        }

        if (command.Opcode == NvmeAdminOpcode.Identify && (command.Cdw10 & IdentifyFields.CnsMask) == IdentifyCns.Controller)
        {
            var page = new byte[IdentifyLayout.DataSize];
            WriteIdentifyController(page, pf.Config, (ushort)secondary.Scid, oacs: 0, IdentifyControllerLayout.CmicSriovVirtualFunction, $"{pf.Config.Serial}-{secondary.Vfn}");
            CopyPage(page, data);
            return Success(0);
        }

        return Fail(command.Opcode == NvmeAdminOpcode.Identify ? NvmeStatusCode.InvalidFieldInCommand : NvmeStatusCode.InvalidCommandOpcode);
    }

    private static uint Dword(ReadOnlySpan<byte> sqe, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(sqe[offset..]);

    private static NvmeRawCompletion Success(uint result) => new(result, 0);

    private static NvmeRawCompletion Fail(NvmeStatusCode code, bool doNotRetry = true) =>
        new(0, NvmeStatus.From(code, doNotRetry).Raw);

    private readonly record struct Command(byte Opcode, uint Cdw10, uint Cdw11, uint Cdw12, uint Cdw13, uint Cdw14, uint Cdw15)
    {
        public ushort ControllerIdInCdw10 => (ushort)(Cdw10 >> 16);
        public ushort ControllerIdInCdw11 => (ushort)(Cdw11 & 0xFFFF);
        public byte Select => (byte)(Cdw10 & MigrationFields.SelectMask);
        public ushort ManagementOperationSpecific => (ushort)(Cdw10 >> MigrationFields.ManagementOperationSpecificShift);
        public ulong Offset => Cdw12 | ((ulong)Cdw13 << 32);
    }
}

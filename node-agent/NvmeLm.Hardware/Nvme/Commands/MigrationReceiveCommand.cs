using static NvmeLm.Hardware.Nvme.MigrationFields;

namespace NvmeLm.Hardware.Nvme.Commands;

/// <summary>
/// Migration Receive (admin 0x42), Get Controller State (SEL 0), sent to the primary; reference §4a
/// (libnvme <c>nvme_lm_migration_recv</c>, test <c>test_lm_migration_recv</c>): CDW10 = SEL | MOS (31:16), MOS 7:0 = CSVI;
/// CDW11 = CNTLID | CSUUIDI (23:16) | CSUIDXP (31:24); CDW12/13 = byte offset; CDW14 = UIDX (6:0);
/// CDW15 = NUMD, 0's based (data length = (NUMD + 1)·4). Completion DW0 bit 0 = CSUP (controller suspended).
/// </summary>
public readonly record struct MigrationReceiveCommand(
    byte Select,
    ushort ControllerId,
    byte StateVersionIndex,
    byte StateUuidIndex,
    byte StateUuidIndexParameter,
    ulong Offset,
    byte UuidIndex,
    uint NumberOfDwordsZeroBased)
{
    /// <param name="dataLength">Bytes to read at <paramref name="offset"/>; a positive multiple of 4.</param>
    public static MigrationReceiveCommand GetControllerState(ushort secondaryControllerId, ulong offset, int dataLength, byte stateVersionIndex = 0, byte stateUuidIndex = 0, byte uuidIndex = 0)
    {
        if (dataLength <= 0 || dataLength % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dataLength), $"Get Controller State transfers whole dwords; {dataLength} bytes is not a positive multiple of 4.");
        }

        return new MigrationReceiveCommand(ReceiveSelectGetControllerState, secondaryControllerId, stateVersionIndex, stateUuidIndex, 0, offset, uuidIndex, (uint)(dataLength / 4) - 1);
    }

    public int DataLength => checked((int)((NumberOfDwordsZeroBased + 1) * 4));

    public string Name => Select == ReceiveSelectGetControllerState
        ? $"Migration Receive (Get Controller State, offset {Offset}, {DataLength} bytes, CNTLID {ControllerId})"
        : $"Migration Receive (SEL {Select}, CNTLID {ControllerId})";

    public NvmeSubmissionEntry ToEntry() => new(
        NvmeAdminOpcode.MigrationReceive,
        Cdw10: Select | ((uint)StateVersionIndex << ManagementOperationSpecificShift),
        Cdw11: ControllerId | ((uint)StateUuidIndex << ReceiveUuidIndexShift) | ((uint)StateUuidIndexParameter << ReceiveUuidIndexParameterShift),
        Cdw12: (uint)Offset,
        Cdw13: (uint)(Offset >> 32),
        Cdw14: (uint)(UuidIndex & UuidIndexMask),
        Cdw15: NumberOfDwordsZeroBased);

    public byte[] Encode() => ToEntry().Encode();

    public static MigrationReceiveCommand Decode(ReadOnlySpan<byte> entry)
    {
        var sqe = NvmeSubmissionEntry.DecodeExpecting(entry, NvmeAdminOpcode.MigrationReceive, "Migration Receive");
        return new MigrationReceiveCommand(
            (byte)(sqe.Cdw10 & SelectMask),
            (ushort)sqe.Cdw11,
            (byte)(sqe.Cdw10 >> ManagementOperationSpecificShift),
            (byte)(sqe.Cdw11 >> ReceiveUuidIndexShift),
            (byte)(sqe.Cdw11 >> ReceiveUuidIndexParameterShift),
            sqe.Cdw12 | ((ulong)sqe.Cdw13 << 32),
            (byte)(sqe.Cdw14 & UuidIndexMask),
            sqe.Cdw15);
    }
}

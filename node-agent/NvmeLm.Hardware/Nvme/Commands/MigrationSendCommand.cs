using static NvmeLm.Hardware.Nvme.MigrationFields;

namespace NvmeLm.Hardware.Nvme.Commands;

/// <summary>
/// Migration Send (admin 0x41), sent to the primary's admin queue; CNTLID names the secondary
/// (reference §4a, libnvme <c>nvme_lm_migration_send</c>). CDW10 = SEL (7:0) | MOS (31:16).
/// <list type="bullet">
/// <item>Suspend (SEL 0): CDW11 = CNTLID | STYPE (23:16) | DUDMQ (31).</item>
/// <item>Resume (SEL 1): CDW11 = CNTLID.</item>
/// <item>Set Controller State (SEL 2): MOS bits 1:0 = SEQIND; CDW11 = CNTLID | CSVI (23:16) | CSUUIDI (31:24);
/// CDW12/13 = byte offset; CDW14 = UIDX (6:0); CDW15 = NUMD, a plain dword count (data length = NUMD·4, per
/// libnvme; unlike Migration Receive, where NUMD is 0's based).</item>
/// </list>
/// Fields that do not belong to the selected operation are zero.
/// </summary>
public readonly record struct MigrationSendCommand(
    byte Select,
    ushort ControllerId,
    byte SuspendType = 0,
    bool DeleteUserDataMigrationQueue = false,
    byte SequenceIndicator = 0,
    byte StateVersionIndex = 0,
    byte StateUuidIndex = 0,
    ulong Offset = 0,
    byte UuidIndex = 0,
    uint NumberOfDwords = 0)
{
    public static MigrationSendCommand Suspend(ushort secondaryControllerId, byte suspendType = SuspendTypeSuspend, bool deleteUserDataMigrationQueue = false) =>
        new(SendSelectSuspend, secondaryControllerId, SuspendType: suspendType, DeleteUserDataMigrationQueue: deleteUserDataMigrationQueue);

    public static MigrationSendCommand Resume(ushort secondaryControllerId) => new(SendSelectResume, secondaryControllerId);

    /// <param name="dataLength">Bytes carried by this command; must be a multiple of 4 (NUMD counts dwords).</param>
    public static MigrationSendCommand SetControllerState(
        ushort secondaryControllerId, byte sequenceIndicator, ulong offset, int dataLength, byte stateVersionIndex = 0, byte stateUuidIndex = 0, byte uuidIndex = 0)
    {
        if (dataLength <= 0 || dataLength % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dataLength), $"Set Controller State transfers whole dwords; {dataLength} bytes is not a positive multiple of 4.");
        }

        if (sequenceIndicator > SequenceIndicatorMask)
        {
            throw new ArgumentOutOfRangeException(nameof(sequenceIndicator), $"SEQIND is 2 bits; got {sequenceIndicator}.");
        }

        return new(SendSelectSetControllerState, secondaryControllerId, SequenceIndicator: sequenceIndicator, StateVersionIndex: stateVersionIndex,
            StateUuidIndex: stateUuidIndex, Offset: offset, UuidIndex: uuidIndex, NumberOfDwords: (uint)(dataLength / 4));
    }

    /// <summary>The data buffer length: NUMD·4 for Set Controller State, otherwise none.</summary>
    public int DataLength => Select == SendSelectSetControllerState ? checked((int)(NumberOfDwords * 4)) : 0;

    public string Name => Select switch
    {
        SendSelectSuspend => $"Migration Send (Suspend, STYPE {SuspendType}, CNTLID {ControllerId})",
        SendSelectResume => $"Migration Send (Resume, CNTLID {ControllerId})",
        SendSelectSetControllerState => $"Migration Send (Set Controller State, SEQIND {SequenceIndicator}, offset {Offset}, CNTLID {ControllerId})",
        _ => $"Migration Send (SEL {Select}, CNTLID {ControllerId})",
    };

    public NvmeSubmissionEntry ToEntry()
    {
        uint cdw10 = Select;
        uint cdw11 = ControllerId;
        switch (Select)
        {
            case SendSelectSuspend:
                cdw11 |= ((uint)SuspendType << SuspendTypeShift) | (DeleteUserDataMigrationQueue ? DeleteUserDataMigrationQueue_ : 0);
                break;
            case SendSelectSetControllerState:
                cdw10 |= (uint)(SequenceIndicator & SequenceIndicatorMask) << ManagementOperationSpecificShift;
                cdw11 |= ((uint)StateVersionIndex << SendStateVersionIndexShift) | ((uint)StateUuidIndex << SendStateUuidIndexShift);
                break;
        }

        return new NvmeSubmissionEntry(
            NvmeAdminOpcode.MigrationSend,
            Cdw10: cdw10,
            Cdw11: cdw11,
            Cdw12: (uint)Offset,
            Cdw13: (uint)(Offset >> 32),
            Cdw14: (uint)(UuidIndex & UuidIndexMask),
            Cdw15: NumberOfDwords);
    }

    public byte[] Encode() => ToEntry().Encode();

    public static MigrationSendCommand Decode(ReadOnlySpan<byte> entry)
    {
        var sqe = NvmeSubmissionEntry.DecodeExpecting(entry, NvmeAdminOpcode.MigrationSend, "Migration Send");
        byte select = (byte)(sqe.Cdw10 & SelectMask);
        ushort controllerId = (ushort)sqe.Cdw11;
        return select switch
        {
            SendSelectSuspend => new MigrationSendCommand(select, controllerId,
                SuspendType: (byte)((sqe.Cdw11 >> SuspendTypeShift) & SuspendTypeMask),
                DeleteUserDataMigrationQueue: (sqe.Cdw11 & DeleteUserDataMigrationQueue_) != 0),
            SendSelectSetControllerState => new MigrationSendCommand(select, controllerId,
                SequenceIndicator: (byte)((sqe.Cdw10 >> ManagementOperationSpecificShift) & SequenceIndicatorMask),
                StateVersionIndex: (byte)(sqe.Cdw11 >> SendStateVersionIndexShift),
                StateUuidIndex: (byte)(sqe.Cdw11 >> SendStateUuidIndexShift),
                Offset: sqe.Cdw12 | ((ulong)sqe.Cdw13 << 32),
                UuidIndex: (byte)(sqe.Cdw14 & UuidIndexMask),
                NumberOfDwords: sqe.Cdw15),
            _ => new MigrationSendCommand(select, controllerId),
        };
    }

    // The layout constant shares its name with the record property; alias it for readability above.
    private const uint DeleteUserDataMigrationQueue_ = MigrationFields.DeleteUserDataMigrationQueue;
}

using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;

namespace NvmeLm.Hardware.Tests.Nvme;

/// <summary>Encoders against hand-built SQEs (reference §3, §4a field tables; QEMU lab commands).</summary>
public class CommandEncodingTests
{
    [Fact]
    public void IdentifyCommand_Encode_Should_PutCnsAndCntidInCdw10()
    {
        byte[] expected = new byte[64];
        expected[0] = 0x06;                        // opcode Identify
        expected[40] = 0x15;                       // CDW10 bits 7:0 CNS 0x15
        expected[42] = 0x80;                       // CDW10 bits 31:16 CNTID 0x0080 (= 128, the 2nd page)
        Assert.Equal(expected, IdentifyCommand.SecondaryControllerList(128).Encode());
    }

    [Fact]
    public void VirtualizationManagementCommand_Encode_Should_MatchQemuLabAssignVi()
    {
        // nvme virt-mgmt /dev/nvme0 -c 1 -r 1 -a 8 -n 1
        byte[] expected = new byte[64];
        expected[0] = 0x1C;
        expected[40] = 0x08;                       // ACT 8 (assign), bits 3:0
        expected[41] = 0x01;                       // RT 1 (VI), bits 10:8
        expected[42] = 0x01;                       // CNTLID 1, bits 31:16
        expected[44] = 0x01;                       // CDW11 NR 1
        Assert.Equal(expected, VirtualizationManagementCommand.SecondaryAssign(VirtualizationManagementFields.ResourceVi, 1, 1).Encode());
    }

    [Fact]
    public void VirtualizationManagementCommand_Encode_Should_EncodeOnlineWithoutResources()
    {
        var sqe = VirtualizationManagementCommand.SecondaryOnline(0x1234).Encode();
        Assert.Equal(new byte[] { 0x09, 0x00, 0x34, 0x12 }, sqe[40..44]); // CDW10 = 9 | 0x1234 << 16
        Assert.Equal(new byte[4], sqe[44..48]);                           // NR 0
    }

    [Fact]
    public void MigrationSendCommand_EncodeSuspend_Should_PutTypeAndDudmqInCdw11()
    {
        var sqe = MigrationSendCommand.Suspend(3, MigrationFields.SuspendTypeSuspend, deleteUserDataMigrationQueue: true).Encode();
        Assert.Equal(0x41, sqe[0]);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x00 }, sqe[40..44]); // SEL 0 suspend
        Assert.Equal(new byte[] { 0x03, 0x00, 0x01, 0x80 }, sqe[44..48]); // CNTLID 3 | STYPE 1 << 16 | DUDMQ bit 31
    }

    [Fact]
    public void MigrationSendCommand_EncodeResume_Should_SelectOne()
    {
        var sqe = MigrationSendCommand.Resume(7).Encode();
        Assert.Equal(new byte[] { 0x01, 0x00, 0x00, 0x00 }, sqe[40..44]); // SEL 1 resume
        Assert.Equal(new byte[] { 0x07, 0x00, 0x00, 0x00 }, sqe[44..48]); // CNTLID 7
        Assert.Equal(0, MigrationSendCommand.Resume(7).DataLength);
    }

    [Fact]
    public void MigrationSendCommand_EncodeSetState_Should_UsePlainDwordCount()
    {
        var command = MigrationSendCommand.SetControllerState(2, MigrationFields.SequenceLast, 0x1_0000_0010, 4096, stateVersionIndex: 1, stateUuidIndex: 5, uuidIndex: 0x7F);
        var sqe = command.Encode();
        Assert.Equal(new byte[] { 0x02, 0x00, 0x02, 0x00 }, sqe[40..44]); // SEL 2 | SEQIND 2 (last) in MOS 1:0
        Assert.Equal(new byte[] { 0x02, 0x00, 0x01, 0x05 }, sqe[44..48]); // CNTLID 2 | CSVI 1 << 16 | CSUUIDI 5 << 24
        Assert.Equal(new byte[] { 0x10, 0x00, 0x00, 0x00 }, sqe[48..52]); // offset low
        Assert.Equal(new byte[] { 0x01, 0x00, 0x00, 0x00 }, sqe[52..56]); // offset high
        Assert.Equal(new byte[] { 0x7F, 0x00, 0x00, 0x00 }, sqe[56..60]); // UIDX
        Assert.Equal(new byte[] { 0x00, 0x04, 0x00, 0x00 }, sqe[60..64]); // NUMD = 1024 dwords, not 0's based
        Assert.Equal(4096, command.DataLength);
    }

    [Fact]
    public void MigrationReceiveCommand_Encode_Should_UseZeroBasedDwordCount()
    {
        var command = MigrationReceiveCommand.GetControllerState(4, 48, 48, stateVersionIndex: 2, stateUuidIndex: 3);
        var sqe = command.Encode();
        Assert.Equal(0x42, sqe[0]);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x02, 0x00 }, sqe[40..44]); // SEL 0 | CSVI 2 in MOS 7:0
        Assert.Equal(new byte[] { 0x04, 0x00, 0x03, 0x00 }, sqe[44..48]); // CNTLID 4 | CSUUIDI 3 << 16
        Assert.Equal(new byte[] { 0x30, 0x00, 0x00, 0x00 }, sqe[48..52]); // offset 48
        Assert.Equal(new byte[] { 0x0B, 0x00, 0x00, 0x00 }, sqe[60..64]); // NUMD 11 = 12 dwords - 1
        Assert.Equal(48, command.DataLength);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-4)]
    public void MigrationCommands_Should_RejectLengths_When_NotWholeDwords(int length)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MigrationSendCommand.SetControllerState(1, MigrationFields.SequenceOnly, 0, length));
        Assert.Throws<ArgumentOutOfRangeException>(() => MigrationReceiveCommand.GetControllerState(1, 0, length));
    }

    [Fact]
    public void NvmeSubmissionEntry_Decode_Should_RejectNonZeroFlags()
    {
        var sqe = IdentifyCommand.Controller().Encode();
        sqe[1] = 0x40;
        Assert.Throws<ArgumentException>(() => NvmeSubmissionEntry.Decode(sqe));
    }

    [Fact]
    public void IdentifyCommand_Decode_Should_RejectOtherOpcode()
    {
        Assert.Throws<ArgumentException>(() => IdentifyCommand.Decode(MigrationSendCommand.Resume(1).Encode()));
    }

    public static TheoryData<VirtualizationManagementCommand> VirtMgmtCases => new()
    {
        VirtualizationManagementCommand.PrimaryFlexibleAllocation(VirtualizationManagementFields.ResourceVq, 0, 0),
        VirtualizationManagementCommand.SecondaryAssign(VirtualizationManagementFields.ResourceVq, 65535, 65535),
        VirtualizationManagementCommand.SecondaryOnline(1),
        VirtualizationManagementCommand.SecondaryOffline(9),
    };

    [Theory]
    [MemberData(nameof(VirtMgmtCases))]
    public void VirtualizationManagementCommand_RoundTrips(VirtualizationManagementCommand command) =>
        Assert.Equal(command, VirtualizationManagementCommand.Decode(command.Encode()));

    public static TheoryData<MigrationSendCommand> SendCases => new()
    {
        MigrationSendCommand.Suspend(1),
        MigrationSendCommand.Suspend(2, MigrationFields.SuspendTypeNotification, true),
        MigrationSendCommand.Resume(65535),
        MigrationSendCommand.SetControllerState(3, MigrationFields.SequenceFirst, 0, 65536, 1, 2, 3),
        MigrationSendCommand.SetControllerState(3, MigrationFields.SequenceMiddle, ulong.MaxValue - 3, 4),
    };

    [Theory]
    [MemberData(nameof(SendCases))]
    public void MigrationSendCommand_RoundTrips(MigrationSendCommand command) =>
        Assert.Equal(command, MigrationSendCommand.Decode(command.Encode()));

    [Fact]
    public void MigrationReceiveCommand_RoundTrips()
    {
        var command = MigrationReceiveCommand.GetControllerState(12, 0xABCDEF_00000000, 65536, 4, 5, 6);
        Assert.Equal(command, MigrationReceiveCommand.Decode(command.Encode()));
    }

    [Fact]
    public void IdentifyCommand_RoundTrips()
    {
        var command = IdentifyCommand.PrimaryControllerCapabilities(0x0102);
        Assert.Equal(command, IdentifyCommand.Decode(command.Encode()));
    }
}

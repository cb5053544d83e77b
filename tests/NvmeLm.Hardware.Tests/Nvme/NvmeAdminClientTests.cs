using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;
using NvmeLm.Hardware.Nvme.Structures;

namespace NvmeLm.Hardware.Tests.Nvme;

public class NvmeAdminClientTests
{
    [Fact]
    public void ListSecondaryControllers_Should_PageWithCntidLastPlusOne_When_PageIsFull()
    {
        // 200 secondaries with SCID 1..200: page 1 has 1..127, page 2 (CNTID 128) has 128..200.
        var device = new ScriptedAdminDevice((entry, data) =>
        {
            var identify = IdentifyCommand.Decode(entry);
            Assert.Equal(IdentifyCns.SecondaryControllerList, identify.Cns);
            var page = Enumerable.Range(identify.ControllerId, 200 - identify.ControllerId + 1)
                .Where(id => id >= 1)
                .Take(127)
                .Select(id => new SecondaryController((ushort)id, 0, false, (ushort)id, 0, 0))
                .ToArray();
            SecondaryControllerList.Write(page, data);
            return new NvmeRawCompletion(0, 0);
        });

        var all = new NvmeAdminClient(device).ListSecondaryControllers();

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ushort)i), all.Select(s => s.ControllerId));
        Assert.Equal(new ushort[] { 0, 128 }, device.Submitted.Select(s => IdentifyCommand.Decode(s.Entry).ControllerId));
    }

    [Fact]
    public void ListSecondaryControllers_Should_StopAfterOnePage_When_PageIsShort()
    {
        var device = new ScriptedAdminDevice((_, data) =>
        {
            SecondaryControllerList.Write(new[] { new SecondaryController(1, 0, true, 1, 2, 1) }, data);
            return new NvmeRawCompletion(0, 0);
        });

        var all = new NvmeAdminClient(device).ListSecondaryControllers();

        Assert.Single(all);
        Assert.Single(device.Submitted);
    }

    [Fact]
    public void ListSecondaryControllers_Should_Throw_When_ControllerReturnsIdsBelowCntid()
    {
        // A broken controller that ignores CNTID would loop forever; the client refuses instead.
        var device = new ScriptedAdminDevice((_, data) =>
        {
            SecondaryControllerList.Write(Enumerable.Range(1, 127).Select(i => new SecondaryController((ushort)i, 0, false, (ushort)i, 0, 0)).ToArray(), data);
            return new NvmeRawCompletion(0, 0);
        });

        Assert.Throws<InvalidDataException>(() => new NvmeAdminClient(device).ListSecondaryControllers());
    }

    [Fact]
    public void VirtualizationManagement_Should_ReturnNrm_And_ThrowNamedError_When_StatusNonZero()
    {
        var device = new ScriptedAdminDevice((entry, _) =>
        {
            var command = VirtualizationManagementCommand.Decode(entry);
            return command.Action == VirtualizationManagementFields.ActSecondaryOnline
                ? new NvmeRawCompletion(0, 0x4120)
                : new NvmeRawCompletion(command.ResourceCount, 0);
        });
        var client = new NvmeAdminClient(device);

        Assert.Equal(2u, client.VirtualizationManagement(VirtualizationManagementFields.ActSecondaryAssign, VirtualizationManagementFields.ResourceVq, 1, 2));
        var ex = Assert.Throws<NvmeCommandException>(() => client.VirtualizationManagement(VirtualizationManagementFields.ActSecondaryOnline, 0, 1, 0));
        Assert.Equal(NvmeStatusCode.InvalidSecondaryControllerState, ex.Code);
        Assert.Equal(NvmeAdminOpcode.VirtualizationManagement, ex.Opcode);
        Assert.Contains("CNTLID 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/dev/nvme9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetControllerState_Should_SendFirstMiddleLastWithOffsets_When_StateSpansChunks()
    {
        var device = new ScriptedAdminDevice((_, _) => new NvmeRawCompletion(0, 0));
        var state = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();

        new NvmeAdminClient(device).SetControllerState(5, state, chunkBytes: 16);

        var commands = device.Submitted.Select(s => MigrationSendCommand.Decode(s.Entry)).ToArray();
        Assert.Equal(new byte[] { MigrationFields.SequenceFirst, MigrationFields.SequenceMiddle, MigrationFields.SequenceLast }, commands.Select(c => c.SequenceIndicator));
        Assert.Equal(new ulong[] { 0, 16, 32 }, commands.Select(c => c.Offset));
        Assert.Equal(new uint[] { 4, 4, 2 }, commands.Select(c => c.NumberOfDwords));
        Assert.All(commands, c => Assert.Equal(5, c.ControllerId));
        Assert.Equal(state, device.Submitted.SelectMany(s => s.DataSent));
    }

    [Fact]
    public void SetControllerState_Should_UseSequenceOnly_When_OneChunk()
    {
        var device = new ScriptedAdminDevice((_, _) => new NvmeRawCompletion(0, 0));
        new NvmeAdminClient(device).SetControllerState(1, new byte[8]);
        Assert.Equal(MigrationFields.SequenceOnly, MigrationSendCommand.Decode(device.Submitted.Single().Entry).SequenceIndicator);
    }

    [Fact]
    public void SetControllerState_Should_SendNothing_When_TheStateIsNotTheLengthPlanned()
    {
        var device = new ScriptedAdminDevice((_, _) => new NvmeRawCompletion(0, 0));
        Assert.Throws<ArgumentException>(() => new NvmeAdminClient(device).SetControllerState(SetControllerStatePlan.For(1, 4096), new byte[8192]));
        Assert.Empty(device.Submitted);
    }

    [Fact]
    public void SetControllerState_Should_SendNothing_When_LengthIsNotWholeDwords()
    {
        var device = new ScriptedAdminDevice((_, _) => new NvmeRawCompletion(0, 0));
        Assert.Throws<ArgumentException>(() => new NvmeAdminClient(device).SetControllerState(1, new byte[6]));
        Assert.Empty(device.Submitted);
    }

    [Fact]
    public void GetControllerState_Should_ReadHeaderThenRestByOffset_And_ReportSuspended()
    {
        // State: 48-byte header announcing 10 NVMe dwords + 3 vendor dwords = 48 + 52 = 100 bytes.
        var state = new byte[100];
        new ControllerStateHeader(1, 1, 10, 3).WriteTo(state);
        for (int i = 48; i < state.Length; i++)
        {
            state[i] = (byte)i;
        }

        var device = new ScriptedAdminDevice((entry, data) =>
        {
            var command = MigrationReceiveCommand.Decode(entry);
            Assert.Equal(data.Length, command.DataLength);
            state.AsSpan((int)command.Offset, command.DataLength).CopyTo(data);
            return new NvmeRawCompletion(MigrationFields.CompletionControllerSuspended, 0);
        });

        var read = new NvmeAdminClient(device).GetControllerState(7, chunkBytes: 32);

        Assert.Equal(state, read.Data);
        Assert.True(read.ControllerSuspended);
        var commands = device.Submitted.Select(s => MigrationReceiveCommand.Decode(s.Entry)).ToArray();
        Assert.Equal(new ulong[] { 0, 48, 80 }, commands.Select(c => c.Offset));
        Assert.Equal(new uint[] { 11, 7, 4 }, commands.Select(c => c.NumberOfDwordsZeroBased)); // 48, 32, 20 bytes
    }

    [Fact]
    public void Suspend_Should_ThrowControllerSuspended_When_StatusSaysSo()
    {
        var device = new ScriptedAdminDevice((_, _) => new NvmeRawCompletion(0, (ushort)NvmeStatus.From(NvmeStatusCode.ControllerSuspended).Raw));
        var ex = Assert.Throws<NvmeCommandException>(() => new NvmeAdminClient(device).Suspend(2));
        Assert.Equal(NvmeStatusCode.ControllerSuspended, ex.Code);
        Assert.Contains("Suspend", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentifyController_Should_ParseReturnedPage()
    {
        var expected = new IdentifyController(0x1b36, 0x1af4, "deadbeef", "QEMU NVMe Ctrl", "7.2.22", 0, 0, 0x10400, 1, 0x088a);
        var device = new ScriptedAdminDevice((entry, data) =>
        {
            Assert.Equal(IdentifyCns.Controller, IdentifyCommand.Decode(entry).Cns);
            expected.WriteTo(data);
            return new NvmeRawCompletion(0, 0);
        });
        Assert.Equal(expected, new NvmeAdminClient(device).IdentifyController());
    }
}

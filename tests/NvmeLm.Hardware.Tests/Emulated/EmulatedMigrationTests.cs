using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;
using static NvmeLm.Hardware.Tests.Emulated.EmulatedTestHosts;

namespace NvmeLm.Hardware.Tests.Emulated;

/// <summary>TP4159 Migration Send/Receive on the emulated primary (reference §4a), through slot a's NvmeAdminClient.</summary>
public sealed class EmulatedMigrationTests
{
    private static (EmulatedHost Host, NvmeAdminClient Source, NvmeAdminClient Destination) OnlinePair(int stateSize = 4096)
    {
        var host = CreateMigrationPair(stateSize);
        host.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0");
        host.WriteAllText(Dev(Pf1, "sriov_drivers_autoprobe"), "0");
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        host.WriteAllText(Dev(Pf1, "sriov_numvfs"), "1");
        var source = Client(host, 0);
        var destination = Client(host, 1);
        AssignAndOnline(source, 1);
        AssignAndOnline(destination, 1);
        return (host, source, destination);
    }

    [Fact]
    public void MigrationCommands_WithoutLiveMigration_AreInvalidOpcodeWithDnr()
    {
        var client = Client(Create());
        var error = Assert.Throws<NvmeCommandException>(() => client.Suspend(1));
        Assert.Equal(0x4001, error.Status.Raw);
        Assert.Equal(NvmeStatusCode.InvalidCommandOpcode, Status(() => client.GetControllerState(1)));
        Assert.Equal(NvmeStatusCode.InvalidFieldInCommand, Status(() => client.SupportedControllerStateFormats()));
    }

    [Fact]
    public void SupportedFormats_ListConfiguredVersions()
    {
        var formats = Client(CreateMigrationPair()).SupportedControllerStateFormats();
        Assert.Equal([(ushort)0], formats.Versions);
    }

    [Fact]
    public void SuspendGetSetResume_RoundTripBetweenTwoControllers_CarriesSourceIdentity()
    {
        var (host, source, destination) = OnlinePair(stateSize: 10_000);
        source.Suspend(1);
        var saved = source.GetControllerState(1, chunkBytes: 4096);
        Assert.True(saved.ControllerSuspended);
        Assert.Equal(10_000, saved.Data.Length);

        destination.Suspend(1);
        destination.SetControllerState(1, saved.Data, chunkBytes: 4096);
        destination.Resume(1);
        source.Resume(1);

        var restored = destination.GetControllerState(1);
        Assert.False(restored.ControllerSuspended);
        Assert.Equal(("SRC0001", 1), EmulatedControllerState.ReadOrigin(restored.Data));
        Assert.Equal(saved.Data.AsSpan(ControllerStateHeaderLayout.Size).ToArray(), restored.Data.AsSpan(ControllerStateHeaderLayout.Size).ToArray());
        Assert.Equal(("DST0001", 1), EmulatedControllerState.ReadOrigin(Client(CreateMigrationPair(), 1).GetControllerState(1).Data));
        Assert.NotNull(host.PhysicalFunction(PciAddress.Parse(Pf1)).FindSecondary(1)!.RestoredState);
    }

    [Fact]
    public void SetControllerState_NotSuspended_FailsControllerNotSuspended()
    {
        var (_, source, destination) = OnlinePair();
        var state = source.GetControllerState(1).Data;
        Assert.Equal(NvmeStatusCode.ControllerNotSuspended, Status(() => destination.SetControllerState(1, state)));
        Assert.Equal(NvmeStatusCode.ControllerNotSuspended, Status(() => destination.Resume(1)));
    }

    [Fact]
    public void SetControllerState_MiddleWithoutFirst_FailsCommandSequenceError()
    {
        var (host, _, _) = OnlinePair();
        var client = Client(host, 1);
        client.Suspend(1);
        using var device = host.Open("/dev/nvme1");
        var command = MigrationSendCommand.SetControllerState(1, MigrationFields.SequenceMiddle, 0, 8);
        var completion = device.Submit(command.Encode(), new byte[8], TimeSpan.FromSeconds(1));
        Assert.Equal(NvmeStatusCode.CommandSequenceError, new NvmeStatus(completion.Status).Code);
    }

    [Fact]
    public void SetControllerState_CorruptState_FailsInvalidFieldAndKeepsPreviousState()
    {
        var (host, source, destination) = OnlinePair();
        var state = source.GetControllerState(1).Data;
        state[ControllerStateHeaderLayout.Size + 8 + (2 * 24 * 1)] ^= 0xFF; // first byte of the vendor magic
        destination.Suspend(1);
        Assert.Equal(NvmeStatusCode.InvalidFieldInCommand, Status(() => destination.SetControllerState(1, state)));
        Assert.Null(host.PhysicalFunction(PciAddress.Parse(Pf1)).FindSecondary(1)!.RestoredState);
    }

    [Fact]
    public void GetControllerState_ByOffsetAndZeroBasedNumd_ReturnsThatSlice()
    {
        var (_, source, _) = OnlinePair();
        var whole = source.GetControllerState(1).Data;
        var chunk = source.GetControllerStateChunk(1, 64, 16);
        Assert.Equal(whole.AsSpan(64, 16).ToArray(), chunk.Data);
        Assert.False(chunk.ControllerSuspended);
    }

    [Fact]
    public void Suspend_OfflineSecondary_Fails0x4120()
    {
        var client = Client(CreateMigrationPair());
        Assert.Equal(NvmeStatusCode.InvalidSecondaryControllerState, Status(() => client.Suspend(1)));
    }

    [Fact]
    public void SuspendedSecondary_OwnAdminQueue_ReportsControllerSuspendedUntilResume()
    {
        var (host, source, _) = OnlinePair();
        string vf = "0000:01:00.1";
        host.WriteAllText(Dev(vf, "driver_override"), "nvme");
        host.WriteAllText("/sys/bus/pci/drivers/nvme/bind", vf);
        string devicePath = "/dev/" + host.ListDirectory(Dev(vf, "nvme")).Single();
        var vfClient = new NvmeAdminClient(host.Open(devicePath));

        source.Suspend(1);
        Assert.Equal(NvmeStatusCode.ControllerSuspended, Status(() => vfClient.IdentifyController()));
        source.Resume(1);
        Assert.Equal((ushort)1, vfClient.IdentifyController().ControllerId);
    }

    [Fact]
    public void NumVfsZero_DropsSuspensionAndRestoredState()
    {
        var (host, source, destination) = OnlinePair();
        var state = source.GetControllerState(1).Data;
        destination.Suspend(1);
        destination.SetControllerState(1, state);
        host.WriteAllText(Dev(Pf1, "sriov_numvfs"), "0");
        var secondary = host.PhysicalFunction(PciAddress.Parse(Pf1)).FindSecondary(1)!;
        Assert.False(secondary.Suspended);
        Assert.Null(secondary.RestoredState);
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;

namespace NvmeLm.NodeAgent.Tests;

public sealed class RoundTripTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void PrepareSaveRestoreRelease_Should_MoveControllerStateBetweenPfs()
    {
        string stateFile = _cli.PathOf("scid1.state");

        CliRun source = _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "2", "--queues", "2", "--interrupts", "1", "--json");
        Assert.True(source.ExitCode == 0, source.ToString());
        Assert.True(source.Json.GetProperty("changed").GetBoolean());
        Assert.Equal(2, source.Json.GetProperty("bindings").GetArrayLength());
        Assert.Equal("no VFIO migration support", source.Json.GetProperty("bindings")[0].GetProperty("migrationSupport").GetString());

        CliRun saved = _cli.Run("save-state", "--pf", CliHarness.Source, "--scid", "1", "--out", stateFile, "--json");
        Assert.True(saved.ExitCode == 0, saved.ToString());
        JsonElement state = saved.Json.GetProperty("state");
        byte[] bytes = File.ReadAllBytes(stateFile);
        Assert.Equal(bytes.Length, state.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), state.GetProperty("sha256").GetString());

        CliRun destination = _cli.Run("prepare-destination", "--pf", CliHarness.Destination, "--vfs", "1", "--queues", "2", "--interrupts", "1", "--state-format-version", "0");
        Assert.True(destination.ExitCode == 0, destination.ToString());

        CliRun restored = _cli.Run("restore-state", "--pf", CliHarness.Destination, "--scid", "1", "--in", stateFile, "--sha256", state.GetProperty("sha256").GetString()!, "--json");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.True(restored.Json.GetProperty("changed").GetBoolean());

        var target = _cli.Host.PhysicalFunction(PciAddress.Parse(CliHarness.Destination)).FindSecondary(1)!;
        Assert.False(target.Suspended);
        Assert.Equal(("CLI0", 1), EmulatedControllerState.ReadOrigin(target.RestoredState));
        Assert.True(_cli.Host.PhysicalFunction(PciAddress.Parse(CliHarness.Source)).FindSecondary(1)!.Suspended);

        Assert.Equal(0, _cli.Run("release", "--pf", CliHarness.Source).ExitCode);
        Assert.Equal(0, _cli.Run("release", "--pf", CliHarness.Destination).ExitCode);
        foreach (string pf in new[] { CliHarness.Source, CliHarness.Destination })
        {
            var emulated = _cli.Host.PhysicalFunction(PciAddress.Parse(pf));
            Assert.Equal(0, emulated.NumVfs);
            Assert.True(emulated.DriversAutoprobe);
        }

        Assert.Empty(Directory.GetFiles(_cli.JournalDirectory));
    }

    [Fact]
    public void PrepareSource_Should_ChangeNothing_When_RunTwice()
    {
        Assert.Equal(0, _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "2", "--queues", "2", "--interrupts", "1").ExitCode);
        int before = _cli.MutationCount;

        CliRun again = _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "2", "--queues", "2", "--interrupts", "1", "--json");

        Assert.Equal(0, again.ExitCode);
        Assert.False(again.Json.GetProperty("changed").GetBoolean());
        Assert.Equal(before, _cli.MutationCount);
    }

    [Fact]
    public void PrepareSource_DryRun_Should_PrintExactActionsAndChangeNothing()
    {
        CliRun run = _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "1", "--queues", "2", "--interrupts", "1", "--dry-run", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(0, _cli.MutationCount);
        Assert.False(Directory.Exists(_cli.JournalDirectory) && Directory.GetFiles(_cli.JournalDirectory).Length > 0);
        Assert.True(run.Json.GetProperty("dryRun").GetBoolean());
        JsonElement enable = run.Json.GetProperty("steps")[0];
        Assert.Equal("enable-sriov", enable.GetProperty("step").GetString());
        JsonElement actions = enable.GetProperty("actions");
        Assert.Equal("sysfs-write", actions[0].GetProperty("kind").GetString());
        Assert.Equal("/sys/bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe", actions[0].GetProperty("path").GetString());
        Assert.Equal("0", actions[0].GetProperty("value").GetString());
        Assert.Equal("/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs", actions[1].GetProperty("path").GetString());
        JsonElement assign = actions[2];
        Assert.Equal("nvme-admin", assign.GetProperty("kind").GetString());
        Assert.Equal("/dev/nvme0", assign.GetProperty("device").GetString());
        JsonElement sqe = assign.GetProperty("commands")[0];
        Assert.Equal(0x1c, sqe.GetProperty("opcode").GetInt32());
        Assert.Equal(0x0001_0008, sqe.GetProperty("cdw10").GetInt32());
        Assert.Equal(2, sqe.GetProperty("cdw11").GetInt32());
        JsonElement bind = run.Json.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "bind-vfio");
        Assert.Equal(
            ["/sys/bus/pci/devices/0000:01:00.1/driver_override", "/sys/bus/pci/drivers/vfio-pci/bind", "/sys/bus/pci/devices/0000:01:00.1/driver_override"],
            bind.GetProperty("actions")[0].GetProperty("writes").EnumerateArray().Select(w => w.GetProperty("path").GetString()));
    }

    [Fact]
    public void PrepareSource_Should_EnableAndBindWithoutLocking_When_SkipAllowOnPfWithoutHmlms()
    {
        CliRun run = _cli.Run("prepare-source", "--pf", CliHarness.Plain, "--vfs", "2", "--queues", "2", "--interrupts", "1", "--skip-allow", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, _cli.Host.PhysicalFunction(PciAddress.Parse(CliHarness.Plain)).NumVfs);
        Assert.Equal("vfio-pci", _cli.Host.FindFunction(PciAddress.Parse("0000:03:00.2"))!.Driver);
        Assert.Contains(run.Json.GetProperty("steps").EnumerateArray(), s => s.GetProperty("notes").EnumerateArray().Any(n => n.GetString()!.Contains("skipped (--skip-allow)")));
    }

    [Fact]
    public void SaveState_DryRun_Should_ListTheMigrationCommandsAndChangeNothing()
    {
        Assert.Equal(0, _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "1", "--queues", "2", "--interrupts", "1").ExitCode);
        int before = _cli.MutationCount;
        string output = _cli.PathOf("never.state");

        CliRun run = _cli.Run("save-state", "--pf", CliHarness.Source, "--scid", "1", "--out", output, "--dry-run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("would: nvme admin /dev/nvme0: Migration Send (Suspend, STYPE 1, CNTLID 1) opcode=0x41 cdw10=0x00000000 cdw11=0x00010001", run.Output);
        Assert.Contains("Migration Receive (Get Controller State", run.Output);
        Assert.Equal(before, _cli.MutationCount);
        Assert.False(File.Exists(output));
    }
}

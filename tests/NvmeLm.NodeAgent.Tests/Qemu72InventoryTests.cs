using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests;

/// <summary>
/// A PF like Debian 12's QEMU 7.2 (the e2e guest): OACS bit 7 clear yet Identify CNS 0x14 and Virtualization Management
/// work. The CLI inventory, prepare-source and the agent's NvmeNode inventory all use the shared detection.
/// </summary>
public sealed class Qemu72InventoryTests : IDisposable
{
    private readonly CliHarness _cli = new(Qemu72Config());

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Inventory_Should_ReportCapsSecondariesAndDetectionNote_When_OacsBit7ClearButCns14Works()
    {
        Assert.Equal(0, _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "3", "--queues", "2", "--interrupts", "1", "--skip-allow").ExitCode);

        CliRun run = _cli.Run("inventory", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement source = run.Json.GetProperty("physicalFunctions")[0];
        Assert.False(source.GetProperty("oacsBits").GetProperty("virtualizationManagement").GetBoolean());
        Assert.Equal(0, source.GetProperty("idCtrl").GetProperty("oacs").GetInt32() & (1 << 7));
        Assert.Equal(3, source.GetProperty("primaryCtrlCaps").GetProperty("crt").GetInt32());
        JsonElement secondaries = source.GetProperty("secondaryControllers");
        Assert.Equal(4, secondaries.GetArrayLength());
        Assert.All(secondaries.EnumerateArray().Take(3), s => Assert.Equal(1, s.GetProperty("secondary-controller-state").GetInt32()));
        Assert.Contains(source.GetProperty("notes").EnumerateArray(),
            n => n.GetString()!.Contains("Virtualization Management detected via Identify CNS 0x14 (QEMU < 10.0 does not set OACS.VMS)", StringComparison.Ordinal));
    }

    [Fact]
    public void PrepareSource_Should_ShrinkFromThreeToTwoVfs_When_PoolIsFullyAssigned()
    {
        Assert.Equal(0, _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "3", "--queues", "2", "--interrupts", "1", "--skip-allow").ExitCode);

        CliRun run = _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "2", "--queues", "2", "--interrupts", "1", "--skip-allow");

        Assert.True(run.ExitCode == 0, run.ToString());
        EmulatedPhysicalFunction pf = _cli.Host.PhysicalFunction(PciAddress.Parse(CliHarness.Source));
        Assert.Equal(2, pf.NumVfs);
        Assert.All(pf.Secondaries.Take(2), s => Assert.True(s.Online && s.Nvq == 2 && s.Nvi == 1));
    }

    [Fact]
    public void InventoryAndPrepare_Should_ReportNoneAndRefuseWithoutWrites_When_OacsBit7ClearAndCns14Fails()
    {
        FailPrimaryCapabilities(count: 100);

        CliRun inventory = _cli.Run("inventory", "--json");
        CliRun prepare = _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "2", "--queues", "2", "--interrupts", "1", "--skip-allow");

        JsonElement source = inventory.Json.GetProperty("physicalFunctions")[0];
        Assert.Equal(JsonValueKind.Null, source.GetProperty("primaryCtrlCaps").ValueKind);
        Assert.Contains("Identify CNS 0x14 failed", source.GetProperty("notes")[0].GetString());
        Assert.Equal(3, prepare.ExitCode);
        string line = Assert.Single(prepare.ErrorLines);
        Assert.Contains("refused: primary controller CNTLID 0 of PF 0000:01:00.0 (/dev/nvme0) does not support Virtualization Management (OACS bit 7 VMS clear, OACS=0x", line);
        Assert.Contains("Identify CNS 0x14 failed with status", line);
        Assert.Equal(0, _cli.MutationCount);
    }

    [Fact]
    public void InventoryReader_Should_ReportSupportAndPrimary_When_OacsBit7ClearButCns14Works()
    {
        var reader = new InventoryReader(_cli.Host.CreateHardware(), new HostJournal(_cli.JournalDirectory), NullLogger.Instance);

        var (pfs, errors) = reader.Read(new HashSet<PciAddress>());

        Assert.Empty(errors);
        var source = pfs.Single(p => p.Address == CliHarness.Source);
        Assert.True(source.Capabilities!.VirtualizationManagement);
        Assert.Equal(8u, source.Primary!.VqFlexibleTotal);
        Assert.Equal(4, source.Secondaries!.Count);
    }

    [Fact]
    public void InventoryReader_Should_ReportNoSupport_When_OacsBit7ClearAndCns14Fails()
    {
        FailPrimaryCapabilities(count: 1);
        var reader = new InventoryReader(_cli.Host.CreateHardware(), new HostJournal(_cli.JournalDirectory), NullLogger.Instance);

        var (pfs, errors) = reader.Read(new HashSet<PciAddress>());

        Assert.Empty(errors);
        var source = pfs.Single(p => p.Address == CliHarness.Source);
        Assert.False(source.Capabilities!.VirtualizationManagement);
        Assert.Null(source.Primary);
        Assert.Null(source.Secondaries);
    }

    /// <summary>The Source PF as QEMU 7.2: no live migration, OACS bit 7 clear, VQFRT 8 / VIFRT 4 (2 VQ, 1 VI per VF).</summary>
    private static EmulatedHostConfig Qemu72Config()
    {
        EmulatedHostConfig config = CliHarness.Config();
        EmulatedPfConfig source = config.PhysicalFunctions[0];
        source.LiveMigration = false;
        source.OacsVirtualizationManagementBit = false;
        source.VqFlexibleTotal = 8;
        source.ViFlexibleTotal = 4;
        source.MaxVqPerSecondary = 2;
        source.MaxViPerSecondary = 1;
        return config;
    }

    private void FailPrimaryCapabilities(int count) =>
        _cli.Host.Faults.FailCommand(NvmeAdminOpcode.Identify, NvmeStatus.From(NvmeStatusCode.InvalidFieldInCommand).Raw,
            select: IdentifyCns.PrimaryControllerCapabilities, count: count);
}

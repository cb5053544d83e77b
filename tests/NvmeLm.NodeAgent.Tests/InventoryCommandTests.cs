using System.Text.Json;

namespace NvmeLm.NodeAgent.Tests;

public sealed class InventoryCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Inventory_Json_Should_CarryNvmeCliFieldNamesAndRawValues()
    {
        CliRun run = _cli.Run("inventory", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement pfs = run.Json.GetProperty("physicalFunctions");
        Assert.Equal(3, pfs.GetArrayLength());
        JsonElement source = pfs[0];
        Assert.Equal(CliHarness.Source, source.GetProperty("address").GetString());
        Assert.Equal("/dev/nvme0", source.GetProperty("controllerDevice").GetString());
        Assert.Equal(4, source.GetProperty("sriov").GetProperty("totalVfs").GetInt32());
        JsonElement idCtrl = source.GetProperty("idCtrl");
        Assert.Equal(0x1b36, idCtrl.GetProperty("vid").GetInt32());
        Assert.Equal("CLI0", idCtrl.GetProperty("sn").GetString());
        Assert.Equal(0, idCtrl.GetProperty("cntlid").GetInt32());
        Assert.NotEqual(0, idCtrl.GetProperty("oacs").GetInt32() & (1 << 11));
        Assert.True(source.GetProperty("oacsBits").GetProperty("hostManagedLiveMigration").GetBoolean());
        JsonElement caps = source.GetProperty("primaryCtrlCaps");
        Assert.Equal(16, caps.GetProperty("vqfrt").GetInt32());
        Assert.Equal(4, caps.GetProperty("vqfrsm").GetInt32());
        Assert.Equal(2, caps.GetProperty("vifrsm").GetInt32());
        JsonElement first = source.GetProperty("secondaryControllers")[0];
        Assert.Equal(1, first.GetProperty("secondary-controller-identifier").GetInt32());
        Assert.Equal(0, first.GetProperty("primary-controller-identifier").GetInt32());
        Assert.Equal(0, first.GetProperty("secondary-controller-state").GetInt32());
        Assert.Equal(1, first.GetProperty("virtual-function-number").GetInt32());
        Assert.Equal("0000:01:00.1", first.GetProperty("vfAddress").GetString());
        Assert.Equal([0], source.GetProperty("stateFormatVersions").EnumerateArray().Select(v => v.GetInt32()));
        Assert.False(pfs[2].GetProperty("oacsBits").GetProperty("hostManagedLiveMigration").GetBoolean());
        Assert.Equal(JsonValueKind.Null, pfs[2].GetProperty("stateFormatVersions").ValueKind);
    }

    [Fact]
    public void Inventory_Should_ReportOnlineSecondaryWithVf_When_Prepared()
    {
        Assert.Equal(0, _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "1", "--queues", "2", "--interrupts", "1").ExitCode);

        CliRun run = _cli.Run("inventory", "--json");

        JsonElement first = run.Json.GetProperty("physicalFunctions")[0].GetProperty("secondaryControllers")[0];
        Assert.Equal(1, first.GetProperty("secondary-controller-state").GetInt32());
        Assert.Equal(2, first.GetProperty("num-virtual-queues").GetInt32());
        Assert.Equal(1, first.GetProperty("num-virtual-interrupts").GetInt32());
        Assert.Equal("vfio-pci", first.GetProperty("driver").GetString());
        Assert.True(first.GetProperty("vfEnabled").GetBoolean());
        Assert.Equal("nvme-lm-agent-cli", run.Json.GetProperty("physicalFunctions")[0].GetProperty("journalOwner").GetString());
    }

    [Fact]
    public void Inventory_Should_PrintText_When_NoJson()
    {
        CliRun run = _cli.Run("inventory");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("PF 0000:01:00.0 [1b36:0010] driver nvme /dev/nvme0", run.Output);
        Assert.Contains("HMLMS 1", run.Output);
        Assert.Contains("SCID 1 VFN 1 offline NVQ 0 NVI 0 -> virtfn0 0000:01:00.1 (VF not enabled)", run.Output);
    }
}

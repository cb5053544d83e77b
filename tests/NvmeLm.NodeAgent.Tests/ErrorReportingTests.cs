namespace NvmeLm.NodeAgent.Tests;

public sealed class ErrorReportingTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void PrepareSource_Should_RefuseWithOneLineNamingControllerAndCapability_When_PfLacksHmlms()
    {
        CliRun run = _cli.Run("prepare-source", "--pf", CliHarness.Plain, "--vfs", "2", "--queues", "2", "--interrupts", "1");

        Assert.Equal(3, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("nvme-lm-agent: refused: ", line);
        Assert.Contains("primary controller CNTLID 0 of PF 0000:03:00.0 (/dev/nvme2)", line);
        Assert.Contains("Host Managed Live Migration (OACS bit 11 HMLMS clear", line);
        Assert.Equal(string.Empty, run.Output);
        Assert.Equal(0, _cli.MutationCount);
    }

    [Theory]
    [InlineData("0000:01:00.0\n")]
    [InlineData("0000:1:00.0")]
    [InlineData("../../../etc")]
    [InlineData("0000:01:00.0 ")]
    public void Commands_Should_FailWithUsageAndTouchNothing_When_AddressMalformed(string address)
    {
        CliRun run = _cli.Run("prepare-source", "--pf", address, "--vfs", "1", "--queues", "2", "--interrupts", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a PCI address", Assert.Single(run.ErrorLines));
        Assert.Equal(0, _cli.MutationCount);
    }

    [Fact]
    public void PrepareSource_Should_FailWithUsageAndTouchNothing_When_TooManyVfs()
    {
        CliRun run = _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "9", "--queues", "2", "--interrupts", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("supports at most 4 VFs (sriov_totalvfs); 9 were requested", Assert.Single(run.ErrorLines));
        Assert.Equal(0, _cli.MutationCount);
    }

    [Fact]
    public void PrepareSource_Should_Refuse_When_PfUnknown()
    {
        CliRun run = _cli.Run("prepare-source", "--pf", "0000:0a:00.0", "--vfs", "1", "--queues", "2", "--interrupts", "1");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("0000:0a:00.0 is not an NVMe SR-IOV physical function", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void PrepareSource_Should_Refuse_When_NamespaceMounted()
    {
        _cli.Host.Mount("/dev/nvme0n1", "/data");

        CliRun run = _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "1", "--queues", "2", "--interrupts", "1");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("/dev/nvme0n1 mounted on /data", Assert.Single(run.ErrorLines));
        Assert.Equal(0, _cli.MutationCount);
    }

    [Fact]
    public void Parse_Should_FailWithOneLine_When_RequiredOptionMissing()
    {
        CliRun run = _cli.Run("prepare-source", "--pf", CliHarness.Source);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nvme-lm-agent: error: ", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void RestoreState_Should_RefuseAndTouchNothing_When_Sha256Differs()
    {
        Assert.Equal(0, _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "1", "--queues", "2", "--interrupts", "1").ExitCode);
        string file = _cli.PathOf("s.state");
        Assert.Equal(0, _cli.Run("save-state", "--pf", CliHarness.Source, "--scid", "1", "--out", file).ExitCode);
        Assert.Equal(0, _cli.Run("prepare-destination", "--pf", CliHarness.Destination, "--vfs", "1", "--queues", "2", "--interrupts", "1").ExitCode);
        int before = _cli.MutationCount;

        CliRun run = _cli.Run("restore-state", "--pf", CliHarness.Destination, "--scid", "1", "--in", file, "--sha256", new string('a', 64));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("expected aaaa", Assert.Single(run.ErrorLines));
        Assert.Equal(before, _cli.MutationCount);
    }

    [Fact]
    public void RestoreState_Should_FailWithUsage_When_FileMissing()
    {
        CliRun run = _cli.Run("restore-state", "--pf", CliHarness.Destination, "--scid", "1", "--in", _cli.PathOf("missing.state"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Errors_Should_IncludeDetails_When_Verbose()
    {
        CliRun run = _cli.Run("prepare-source", "--pf", CliHarness.Plain, "--vfs", "1", "--queues", "2", "--interrupts", "1", "--verbose");

        Assert.Equal(3, run.ExitCode);
        Assert.True(run.ErrorLines.Length > 1);
        Assert.Contains("HardwareRefusedException", run.Error);
    }

    [Fact]
    public void Release_Should_SucceedAndTouchNothing_When_PfNeverPrepared()
    {
        CliRun run = _cli.Run("release", "--pf", CliHarness.Source);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("no journal record", run.Output);
        Assert.Equal(0, _cli.MutationCount);
    }
}

using System.Diagnostics;
using System.Text.Json;
using NvmeLm.Hardware.Emulated;

namespace NvmeLm.NodeAgent.Tests;

/// <summary>
/// The built <c>nvme-lm-agent</c> run as separate processes against one emulated-host config: exit codes, stdout
/// JSON, and hardware state carried between processes by the emulated host's state file.
/// </summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nvmelm-proc-" + Guid.NewGuid().ToString("N"));
    private readonly string _config;

    public ProcessTests()
    {
        Directory.CreateDirectory(_directory);
        _config = Path.Combine(_directory, "host.json");
        File.WriteAllText(_config, CliHarness.Config().ToJson());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Binary_Should_CarryHardwareStateAcrossProcesses_When_UsingEmulatedConfig()
    {
        var (prepareExit, _, prepareError) = Agent("prepare-source", "--pf", CliHarness.Source, "--vfs", "1", "--queues", "2", "--interrupts", "1");
        Assert.True(prepareExit == 0, prepareError);

        var (exit, output, error) = Agent("inventory", "--json");

        Assert.True(exit == 0, error);
        JsonElement source = JsonDocument.Parse(output).RootElement.GetProperty("physicalFunctions")[0];
        Assert.Equal(1, source.GetProperty("sriov").GetProperty("numVfs").GetInt32());
        Assert.Equal("vfio-pci", source.GetProperty("secondaryControllers")[0].GetProperty("driver").GetString());

        var (releaseExit, _, releaseError) = Agent("release", "--pf", CliHarness.Source);
        Assert.True(releaseExit == 0, releaseError);
        var (_, after, _) = Agent("inventory", "--json");
        Assert.Equal(0, JsonDocument.Parse(after).RootElement.GetProperty("physicalFunctions")[0].GetProperty("sriov").GetProperty("numVfs").GetInt32());
    }

    [Fact]
    public void Binary_Should_SaveStateInANewProcess_When_SeveralSecondariesAreOnline()
    {
        // Regression: the emulated host's state file once wrote absent controller states as "" (an empty
        // array), so a later process failed with an index error reading a state of two or more secondaries.
        var (prepareExit, _, prepareError) = Agent("prepare-source", "--pf", CliHarness.Source, "--vfs", "2", "--queues", "2", "--interrupts", "1");
        Assert.True(prepareExit == 0, prepareError);

        var (exit, _, error) = Agent("save-state", "--pf", CliHarness.Source, "--scid", "2", "--out", Path.Combine(_directory, "scid2.state"));

        Assert.True(exit == 0, error);
        Assert.True(new FileInfo(Path.Combine(_directory, "scid2.state")).Length > 0);
    }

    [Fact]
    public void Binary_Should_ExitNonZeroWithOneStderrLine_When_Refused()
    {
        var (exit, output, error) = Agent("prepare-source", "--pf", CliHarness.Plain, "--vfs", "1", "--queues", "2", "--interrupts", "1");

        Assert.Equal(3, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("OACS bit 11", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Binary_Should_UseTheSampleHostAndSaySoOnStderr_When_EmulatedWithoutConfig()
    {
        var (exit, output, error) = Run(["inventory", "--json", "--hardware", "emulated", "--journal", Path.Combine(_directory, "journal")]);

        Assert.True(exit == 0, error);
        // stdout is only the JSON (what `| jq` reads); the note about the sample goes to stderr.
        JsonElement pfs = JsonDocument.Parse(output).RootElement.GetProperty("physicalFunctions");
        Assert.Equal(EmulatedHostConfig.Load(Path.Combine(AppContext.BaseDirectory, "emulated-host.json")).PhysicalFunctions.Count, pfs.GetArrayLength());
        Assert.Contains("using the sample host that ships with the agent", error, StringComparison.Ordinal);
    }

    private (int Exit, string Output, string Error) Agent(params string[] args) =>
        Run([.. args, "--hardware", "emulated", "--emulated-config", _config, "--journal", Path.Combine(_directory, "journal")]);

    private static (int Exit, string Output, string Error) Run(string[] args)
    {
        string agent = Path.Combine(AppContext.BaseDirectory, "nvme-lm-agent.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(agent);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}

using System.Text.Json;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Host;
using NvmeLm.NodeAgent.Cli;

namespace NvmeLm.NodeAgent.Tests;

/// <summary>
/// Runs the <c>nvme-lm-agent</c> command tree in-process against one shared emulated host (so several commands
/// act on the same hardware, as successive CLI runs would) with a temporary journal and work directory.
/// PFs: <see cref="Source"/> and <see cref="Destination"/> with live migration (HMLMS), <see cref="Plain"/> without.
/// </summary>
public sealed class CliHarness : IDisposable
{
    public const string Source = "0000:01:00.0";
    public const string Destination = "0000:02:00.0";
    public const string Plain = "0000:03:00.0";

    /// <param name="config">Another host (default <see cref="Config"/>).</param>
    public CliHarness(EmulatedHostConfig? config = null)
    {
        WorkDirectory = Path.Combine(Path.GetTempPath(), "nvmelm-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkDirectory);
        Host = new EmulatedHost(config ?? Config());
    }

    public EmulatedHost Host { get; }

    public string WorkDirectory { get; }

    public string JournalDirectory => Path.Combine(WorkDirectory, "journal");

    public int MutationCount => Host.WriteLog.Mutations.Count;

    public static EmulatedHostConfig Config() => new()
    {
        Drivers =
        [
            new EmulatedDriverConfig { Name = "nvme" },
            new EmulatedDriverConfig { Name = "vfio-pci", Vfio = true },
        ],
        PhysicalFunctions =
        [
            Pf(Source, 0, liveMigration: true),
            Pf(Destination, 1, liveMigration: true),
            Pf(Plain, 2, liveMigration: false),
        ],
    };

    private static EmulatedPfConfig Pf(string address, int instance, bool liveMigration) => new()
    {
        Address = address,
        NvmeInstance = instance,
        Serial = "CLI" + instance,
        TotalVfs = 4,
        VqFlexibleTotal = 16,
        ViFlexibleTotal = 8,
        MaxVqPerSecondary = 4,
        MaxViPerSecondary = 2,
        LiveMigration = liveMigration,
        StateFormatVersions = [0],
        ControllerStateSize = 4096,
    };

    public CliRun Run(params string[] args) => RunWith(AtomicFileWriter.Durable, args);

    /// <summary>Runs with <paramref name="fileWriter"/> replacing the files the command writes (crash injection).</summary>
    public CliRun RunWith(AtomicFileWriter fileWriter, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var globals = new GlobalOptions { HardwareOverride = Host.CreateHardware, FileWriter = fileWriter };
        string[] full = [.. args, "--journal", JournalDirectory];
        int exitCode = AgentCli.Run(full, output, error, globals);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public string PathOf(string name) => Path.Combine(WorkDirectory, name);

    public void Dispose()
    {
        Directory.Delete(WorkDirectory, recursive: true);
    }
}

/// <summary>The outcome of one CLI invocation.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Output).RootElement;

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

using System.CommandLine;
using NvmeLm.Hardware.Journal;

namespace NvmeLm.NodeAgent.Cli;

/// <summary>Options every command accepts (recursive on the root command).</summary>
public sealed class GlobalOptions
{
    public const string LinuxHardware = "linux";
    public const string EmulatedHardware = "emulated";
    public const string DefaultOwner = "nvme-lm-agent-cli";

    public Option<string> Hardware { get; } = new Option<string>("--hardware")
    {
        Description = "Which host to act on: the real Linux host, or the emulated host described by --emulated-config",
        DefaultValueFactory = _ => LinuxHardware,
        Recursive = true,
    }.AcceptOnlyFromAmong(LinuxHardware, EmulatedHardware);

    /// <summary>The sample emulated host that ships next to the agent's binary (<c>emulated-host.json</c>), used when <see cref="EmulatedConfig"/> is not given.</summary>
    public static string SampleEmulatedConfig => Path.Combine(AppContext.BaseDirectory, "emulated-host.json");

    public Option<FileInfo?> EmulatedConfig { get; } = new("--emulated-config")
    {
        Description = "Emulated host configuration (JSON); its state is kept next to it in <file>.state.json (default: the sample host emulated-host.json next to the agent)",
        Recursive = true,
    };

    public Option<FileInfo?> EmulatedState { get; } = new("--emulated-state")
    {
        Description = "Where the emulated host keeps its state (default: <emulated-config>.state.json); lets the config be read-only",
        Recursive = true,
    };

    public Option<string> Journal { get; } = new("--journal")
    {
        Description = "Directory of the agent's host journal",
        DefaultValueFactory = _ => HostJournal.DefaultDirectory,
        Recursive = true,
    };

    public Option<string> Owner { get; } = new("--owner")
    {
        Description = "Who the changes are made for (recorded in the journal; locks secondaries to it)",
        DefaultValueFactory = _ => DefaultOwner,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the result as JSON (documented in README.md)",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Log every host write to stderr and print error details",
        Recursive = true,
    };

    /// <summary>In-process callers (tests, the DaemonSet mode) can hand in the host seams instead of building them from options.</summary>
    public Func<NvmeLm.Hardware.Host.HostHardware>? HardwareOverride { get; init; }

    /// <summary>How save-state replaces its <c>--out</c> file; tests hand in one that crashes between steps.</summary>
    public NvmeLm.Hardware.Host.AtomicFileWriter FileWriter { get; init; } = NvmeLm.Hardware.Host.AtomicFileWriter.Durable;

    public void AddTo(Command root)
    {
        root.Options.Add(Hardware);
        root.Options.Add(EmulatedConfig);
        root.Options.Add(EmulatedState);
        root.Options.Add(Journal);
        root.Options.Add(Owner);
        root.Options.Add(Json);
        root.Options.Add(Verbose);
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.NodeAgent.Cli;

/// <summary>
/// One CLI invocation: the global options resolved, the host seams built on first use (so <c>--help</c> and
/// usage errors cost nothing), the journal, and where output goes.
/// </summary>
public sealed class CliSession : IDisposable
{
    private readonly ParseResult _parse;
    private readonly GlobalOptions _globals;
    private HostHardware? _hardware;
    private ILoggerFactory? _loggerFactory;

    public CliSession(ParseResult parse, GlobalOptions globals)
    {
        _parse = parse;
        _globals = globals;
        Output = parse.InvocationConfiguration.Output;
        Error = parse.InvocationConfiguration.Error;
        Json = parse.GetValue(globals.Json);
        Verbose = parse.GetValue(globals.Verbose);
        Owner = parse.GetValue(globals.Owner) ?? GlobalOptions.DefaultOwner;
        HardwareKind = parse.GetValue(globals.Hardware) ?? GlobalOptions.LinuxHardware;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public bool Json { get; }

    public bool Verbose { get; }

    public string Owner { get; }

    public string HardwareKind { get; }

    public ParseResult Parse => _parse;

    public HostJournal Journal => new(_parse.GetValue(_globals.Journal) ?? HostJournal.DefaultDirectory);

    public AtomicFileWriter FileWriter => _globals.FileWriter;

    public HostHardware Hardware => _hardware ??= CreateHardware();

    public ILogger Logger
    {
        get
        {
            if (!Verbose)
            {
                return NullLogger.Instance;
            }

            // Console logging is only built with --verbose: it costs start-up time the TCG guest notices.
            _loggerFactory ??= LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Debug)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            return _loggerFactory.CreateLogger("nvme-lm-agent");
        }
    }

    /// <summary>A step context acting on exactly <paramref name="pf"/>: the PF named on the command line is the caller's selection.</summary>
    public StepContext CreateStepContext(PciAddress pf, bool dryRun) =>
        new(Hardware, Journal, new SafetyPolicy([pf]), Owner, dryRun, Logger);

    public static PciAddress ParsePf(string? text, string option = "--pf")
    {
        if (text is null)
        {
            throw new UsageException($"{option} is required");
        }

        return PciAddress.TryParse(text, out var address)
            ? address
            : throw new UsageException($"{option} '{text}' is not a PCI address of the form DDDD:BB:DD.F in lower-case hex (e.g. 0000:01:00.0)");
    }

    public void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        Output.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }

    public void Dispose()
    {
        _loggerFactory?.Dispose();
    }

    private HostHardware CreateHardware()
    {
        if (_globals.HardwareOverride is { } hardware)
        {
            return hardware();
        }

        if (HardwareKind == GlobalOptions.EmulatedHardware)
        {
            FileInfo? config = _parse.GetValue(_globals.EmulatedConfig);
            string? statePath = _parse.GetValue(_globals.EmulatedState)?.FullName;
            if (config is null)
            {
                config = new FileInfo(GlobalOptions.SampleEmulatedConfig);
                Error.WriteLine($"{CommandRunner.Program}: no --emulated-config: using the sample host that ships with the agent, {config.FullName} (its state is kept in {statePath ?? EmulatedHost.StatePathFor(config.FullName)})");
            }

            if (!config.Exists)
            {
                throw new UsageException($"emulated host config '{config.FullName}' does not exist");
            }

            return EmulatedHost.OpenFile(config.FullName, statePath).CreateHardware();
        }

        return LinuxHardware.Create();
    }
}

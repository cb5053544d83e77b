using System.CommandLine;
using NvmeLm.Kube.Hosting;
using NvmeLm.NodeAgent.Commands;

namespace NvmeLm.NodeAgent.Cli;

/// <summary>
/// The <c>nvme-lm-agent</c> command tree. Each command lives in its own file under Commands/; add new modes
/// (e.g. the DaemonSet <c>run</c>) to <see cref="BuildRootCommand"/>.
/// </summary>
public static class AgentCli
{
    public static RootCommand BuildRootCommand(GlobalOptions? globals = null)
    {
        globals ??= new GlobalOptions();
        var root = new RootCommand("nvme-lm-agent: NVMe SR-IOV live-migration node agent (hardware CLI)");
        globals.AddTo(root);
        root.Subcommands.Add(InventoryCommand.Create(globals));
        root.Subcommands.Add(PrepareSourceCommand.Create(globals));
        root.Subcommands.Add(PrepareDestinationCommand.Create(globals));
        root.Subcommands.Add(SaveStateCommand.Create(globals));
        root.Subcommands.Add(RestoreStateCommand.Create(globals));
        root.Subcommands.Add(ReleaseCommand.Create(globals));
        root.Subcommands.Add(RunCommand.Create(globals));
        return root;
    }

    /// <summary>
    /// The process entry: parses and runs <paramref name="args"/>. SIGTERM and SIGINT cancel the token a long-running
    /// command (<c>run</c>) gets; it then has <see cref="ProcessShutdown.Grace"/> to stop before the signal's exit code
    /// (143, 130) is returned regardless. A parse error is one line on <paramref name="error"/> and exit code 2.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, GlobalOptions? globals = null,
        CancellationToken cancellationToken = default)
    {
        if (Parse(args, output, error, globals, out ParseResult parse, out InvocationConfiguration configuration) is { } usage)
        {
            return usage;
        }

        configuration.ProcessTerminationTimeout = ProcessShutdown.Grace;
        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parses and runs a hardware command in-process (tests); the same as <see cref="RunAsync"/> without signal handling.</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null, GlobalOptions? globals = null)
    {
        return Parse(args, output, error, globals, out ParseResult parse, out InvocationConfiguration configuration) is { } usage
            ? usage
            : parse.Invoke(configuration);
    }

    /// <summary>The exit code of a parse error (after reporting it), or null with the parse and its invocation settings.</summary>
    private static int? Parse(string[] args, TextWriter? output, TextWriter? error, GlobalOptions? globals, out ParseResult parse,
        out InvocationConfiguration configuration)
    {
        error ??= Console.Error;
        parse = BuildRootCommand(globals).Parse(args);
        configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"{CommandRunner.Program}: error: {parse.Errors[0].Message.ReplaceLineEndings(" ")} (see --help)");
            return ExitCodes.Usage;
        }

        return null;
    }
}

using System.CommandLine;
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

    /// <summary>Parses and runs <paramref name="args"/>; a parse error is one line on <paramref name="error"/> and exit code 2.</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null, GlobalOptions? globals = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        RootCommand root = BuildRootCommand(globals);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"{CommandRunner.Program}: error: {parse.Errors[0].Message.ReplaceLineEndings(" ")} (see --help)");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        return parse.Invoke(configuration);
    }
}

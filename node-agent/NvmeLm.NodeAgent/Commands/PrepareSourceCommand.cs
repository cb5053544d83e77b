using System.CommandLine;
using NvmeLm.NodeAgent.Cli;

namespace NvmeLm.NodeAgent.Commands;

/// <summary><c>prepare-source</c>: enable SR-IOV, list, allow-migrate, bind VFIO (see <see cref="PrepareFlow"/>).</summary>
public static class PrepareSourceCommand
{
    public const string Name = "prepare-source";

    public static Command Create(GlobalOptions globals)
    {
        var options = new PrepareOptions();
        var command = new Command(Name, "Prepare a PF's VFs as live-migration sources: enable SR-IOV, allow-migrate, bind to VFIO");
        options.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(parse, globals, session => PrepareFlow.Execute(session, options, destination: false, null)));
        return command;
    }
}

using System.CommandLine;
using NvmeLm.NodeAgent.Cli;

namespace NvmeLm.NodeAgent.Commands;

/// <summary><c>prepare-destination</c>: enable SR-IOV, list, allow-resume, bind VFIO (see <see cref="PrepareFlow"/>).</summary>
public static class PrepareDestinationCommand
{
    public const string Name = "prepare-destination";

    public static Command Create(GlobalOptions globals)
    {
        var options = new PrepareOptions();
        var stateFormatVersion = new Option<int?>("--state-format-version")
        {
            Description = "Controller state format version the source will send; must be supported here (Identify CNS 0x20)",
        };
        var command = new Command(Name, "Prepare a PF's VFs as resume targets: enable SR-IOV, allow-resume, bind to VFIO");
        options.AddTo(command);
        command.Options.Add(stateFormatVersion);
        command.SetAction(parse => CommandRunner.Run(parse, globals, session => PrepareFlow.Execute(session, options, destination: true, stateFormatVersion)));
        return command;
    }
}

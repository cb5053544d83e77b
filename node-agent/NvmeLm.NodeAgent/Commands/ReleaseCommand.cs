using System.CommandLine;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Steps;
using NvmeLm.NodeAgent.Cli;
using NvmeLm.NodeAgent.Output;

namespace NvmeLm.NodeAgent.Commands;

/// <summary><c>release</c>: undo what the journal records the agent did on a PF (or one secondary), nothing else.</summary>
public static class ReleaseCommand
{
    public const string Name = "release";

    public static Command Create(GlobalOptions globals)
    {
        var pfOption = new Option<string>("--pf") { Description = "The PF's PCI address", Required = true };
        var scidOption = new Option<int?>("--scid") { Description = "Release only this secondary controller (default: the whole PF)" };
        var dryRunOption = new Option<bool>("--dry-run") { Description = "Print the exact host actions and change nothing" };
        var command = new Command(Name, "Unbind, offline and restore what the agent changed (numvfs, autoprobe, drivers) as its journal recorded them");
        command.Options.Add(pfOption);
        command.Options.Add(scidOption);
        command.Options.Add(dryRunOption);
        command.SetAction(parse => CommandRunner.Run(parse, globals, session =>
        {
            PciAddress pf = CliSession.ParsePf(parse.GetValue(pfOption));
            bool dryRun = parse.GetValue(dryRunOption);
            using StepContext context = session.CreateStepContext(pf, dryRun);
            StepResult released = new ReleaseStep(context).Run(pf, parse.GetValue(scidOption));
            CommandOutput.Write(session, new CommandView
            {
                Command = Name,
                Pf = pf.ToString(),
                DryRun = dryRun,
                Changed = released.Changed,
                Steps = [ViewMapper.Step(released)],
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}

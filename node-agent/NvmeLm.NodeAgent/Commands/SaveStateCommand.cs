using System.CommandLine;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Steps;
using NvmeLm.NodeAgent.Cli;
using NvmeLm.NodeAgent.Output;

namespace NvmeLm.NodeAgent.Commands;

/// <summary>
/// <c>save-state</c>: suspend the secondary and read its controller state into a file (seed step 6, source).
/// The file is replaced durably and atomically (<see cref="AtomicFileWriter"/>); its size and SHA-256 are printed. The controller stays suspended.
/// </summary>
public static class SaveStateCommand
{
    public const string Name = "save-state";

    public static Command Create(GlobalOptions globals)
    {
        var pfOption = new Option<string>("--pf") { Description = "The PF's PCI address", Required = true };
        var scidOption = new Option<int>("--scid") { Description = "Secondary controller ID (SCID) of the VF", Required = true };
        var outOption = new Option<FileInfo>("--out") { Description = "File to write the controller state to", Required = true };
        var dryRunOption = new Option<bool>("--dry-run") { Description = "Print the exact NVMe commands and change nothing" };
        var command = new Command(Name, "Suspend a secondary controller and save its controller state (Migration Send Suspend + Migration Receive Get Controller State)");
        command.Options.Add(pfOption);
        command.Options.Add(scidOption);
        command.Options.Add(outOption);
        command.Options.Add(dryRunOption);
        command.SetAction(parse => CommandRunner.Run(parse, globals, session =>
        {
            PciAddress pf = CliSession.ParsePf(parse.GetValue(pfOption));
            int scid = parse.GetValue(scidOption);
            FileInfo output = parse.GetValue(outOption)!;
            bool dryRun = parse.GetValue(dryRunOption);
            if (output.Directory is { Exists: false } directory)
            {
                throw new UsageException($"--out directory '{directory.FullName}' does not exist");
            }

            using StepContext context = session.CreateStepContext(pf, dryRun);
            StepResult suspended = new SuspendStep(context).Run(pf, scid);
            SaveStateResult saved = new SaveStateStep(context).Run(pf, scid);
            StateFileView? state = null;
            if (saved.State is ControllerStateBlob blob)
            {
                session.FileWriter.Write(output.FullName, blob.Data);
                state = new StateFileView(scid, output.FullName, blob.Length, blob.Sha256);
            }

            CommandOutput.Write(session, new CommandView
            {
                Command = Name,
                Pf = pf.ToString(),
                DryRun = dryRun,
                Changed = suspended.Changed,
                Steps = [ViewMapper.Step(suspended), ViewMapper.Step(saved)],
                State = state,
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}

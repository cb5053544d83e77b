using System.CommandLine;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Steps;
using NvmeLm.NodeAgent.Cli;
using NvmeLm.NodeAgent.Output;

namespace NvmeLm.NodeAgent.Commands;

/// <summary>
/// <c>restore-state</c>: verify the state file (size against its header, SHA-256 if given, format version supported)
/// before any command, then Set Controller State and Resume (seed step 6, destination).
/// </summary>
public static class RestoreStateCommand
{
    public const string Name = "restore-state";

    public static Command Create(GlobalOptions globals)
    {
        var pfOption = new Option<string>("--pf") { Description = "The PF's PCI address", Required = true };
        var scidOption = new Option<int>("--scid") { Description = "Secondary controller ID (SCID) reserved by prepare-destination", Required = true };
        var inOption = new Option<FileInfo>("--in") { Description = "Controller state file written by save-state", Required = true };
        var shaOption = new Option<string?>("--sha256") { Description = "Expected SHA-256 of the file (hex); checked before anything is written" };
        var dryRunOption = new Option<bool>("--dry-run") { Description = "Print the exact NVMe commands and change nothing" };
        var command = new Command(Name, "Write a saved controller state to a secondary controller and resume it (Set Controller State + Resume)");
        command.Options.Add(pfOption);
        command.Options.Add(scidOption);
        command.Options.Add(inOption);
        command.Options.Add(shaOption);
        command.Options.Add(dryRunOption);
        command.SetAction(parse => CommandRunner.Run(parse, globals, session =>
        {
            PciAddress pf = CliSession.ParsePf(parse.GetValue(pfOption));
            int scid = parse.GetValue(scidOption);
            FileInfo input = parse.GetValue(inOption)!;
            string? sha = parse.GetValue(shaOption);
            bool dryRun = parse.GetValue(dryRunOption);
            if (sha is not null && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
            {
                throw new UsageException($"--sha256 '{sha}' is not 64 hex digits");
            }

            if (!input.Exists)
            {
                throw new UsageException($"--in file '{input.FullName}' does not exist");
            }

            byte[] data = File.ReadAllBytes(input.FullName);
            using StepContext context = session.CreateStepContext(pf, dryRun);
            StepResult restored = new RestoreStateStep(context).Run(pf, scid, data, sha, input.FullName);
            StepResult resumed = dryRun
                ? new StepResult(ResumeStep.Name, pf, true, [], ["Migration Send Resume follows Set Controller State"])
                : new ResumeStep(context).Run(pf, scid);
            CommandOutput.Write(session, new CommandView
            {
                Command = Name,
                Pf = pf.ToString(),
                DryRun = dryRun,
                Changed = restored.Changed || resumed.Changed,
                Steps = [ViewMapper.Step(restored), ViewMapper.Step(resumed)],
                State = new StateFileView(scid, input.FullName, data.Length, ControllerStateBlob.HashOf(data)),
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}

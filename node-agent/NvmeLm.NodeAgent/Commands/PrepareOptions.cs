using System.CommandLine;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.NodeAgent.Commands;

/// <summary>The options prepare-source and prepare-destination share.</summary>
public sealed class PrepareOptions
{
    public Option<string> Pf { get; } = new("--pf") { Description = "The PF's PCI address, DDDD:BB:DD.F", Required = true };
    public Option<int> Vfs { get; } = new("--vfs") { Description = "Number of VFs to enable (sriov_numvfs)", Required = true };
    public Option<int> Queues { get; } = new("--queues") { Description = "VQ flexible resources per VF (NVQ, admin queue included)", Required = true };
    public Option<int> Interrupts { get; } = new("--interrupts") { Description = "VI flexible resources per VF (NVI)", Required = true };
    public Option<string> Driver { get; } = new("--driver") { Description = "VFIO driver to bind the VFs to", DefaultValueFactory = _ => BindVfioStep.DefaultDriver };
    public Option<int?> Scid { get; } = new("--scid") { Description = "Only this secondary controller (default: every enabled VF's)" };
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the exact host actions and change nothing" };
    public Option<bool> SkipAllow { get; } = new("--skip-allow") { Description = "Enable and bind only; do not check HMLMS or lock the secondaries (hardware without live migration, e.g. QEMU)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Pf);
        command.Options.Add(Vfs);
        command.Options.Add(Queues);
        command.Options.Add(Interrupts);
        command.Options.Add(Driver);
        command.Options.Add(Scid);
        command.Options.Add(DryRun);
        command.Options.Add(SkipAllow);
    }
}

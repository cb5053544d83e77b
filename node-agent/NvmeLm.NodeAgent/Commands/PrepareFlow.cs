using System.CommandLine;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using NvmeLm.NodeAgent.Cli;
using NvmeLm.NodeAgent.Output;

namespace NvmeLm.NodeAgent.Commands;

/// <summary>
/// Seed steps 1–4 on one PF (DESIGN §4): enable SR-IOV, list secondaries, allow (migrate or resume), bind VFIO.
/// The live-migration capability (OACS bit 11) is checked first, before any write: a PF that cannot migrate is
/// refused with nothing changed, because a half-prepared PF (VFs enabled and bound but not migratable) is not
/// what an operator asked for. <c>--skip-allow</c> prepares VFs without that check, e.g. on QEMU.
/// </summary>
public static class PrepareFlow
{
    public static int Execute(CliSession session, PrepareOptions options, bool destination, Option<int?>? stateFormatVersion)
    {
        ParseResult parse = session.Parse;
        PciAddress pf = CliSession.ParsePf(parse.GetValue(options.Pf));
        bool dryRun = parse.GetValue(options.DryRun);
        bool skipAllow = parse.GetValue(options.SkipAllow);
        string driver = parse.GetValue(options.Driver) ?? BindVfioStep.DefaultDriver;
        int? onlyScid = parse.GetValue(options.Scid);
        int? formatVersion = stateFormatVersion is null ? null : parse.GetValue(stateFormatVersion);
        if (formatVersion is < 0 or > ushort.MaxValue)
        {
            throw new UsageException($"--state-format-version must be 0..65535, got {formatVersion}");
        }

        var request = new EnableSriovRequest(pf, parse.GetValue(options.Vfs), parse.GetValue(options.Queues), parse.GetValue(options.Interrupts));
        BindVfioStep.ValidateDriver(driver);
        if (onlyScid is int s && s < 1)
        {
            throw new UsageException($"--scid must be at least 1, got {s}");
        }

        using StepContext context = session.CreateStepContext(pf, dryRun);
        var allowMigrate = new AllowMigrateStep(context);
        var allowResume = new AllowResumeStep(context);
        context.Policy.EnsureSelected(pf);
        _ = PfReader.Read(context.Sysfs, pf);
        if (!skipAllow)
        {
            // Pre-flight, read only: refuse before the first write.
            if (destination)
            {
                allowResume.CheckCapability(pf);
            }
            else
            {
                allowMigrate.CheckCapability(pf);
            }
        }

        var steps = new List<StepView>();
        StepResult enable = new EnableSriovStep(context).Run(request);
        steps.Add(ViewMapper.Step(enable));
        SecondaryListResult list = new ListSecondariesStep(context).Run(pf);
        steps.Add(ViewMapper.Step(list));
        var targets = list.Secondaries.Where(m => m.Vfn >= 1 && m.Vfn <= request.NumVfs && (onlyScid is null || m.Scid == onlyScid)).ToList();
        if (onlyScid is int wanted && targets.Count == 0)
        {
            throw new HardwareRefusedException(RefusalReason.InvalidInput, $"SCID {wanted} is not one of the {request.NumVfs} enabled VFs' secondary controllers of PF {pf}");
        }

        foreach (SecondaryMapping target in targets)
        {
            if (skipAllow)
            {
                continue;
            }

            StepResult allowed = destination
                ? allowResume.Run(pf, target.Scid, formatVersion is int v ? (ushort)v : null, plannedOnline: true)
                : allowMigrate.Run(pf, target.Scid, plannedOnline: true);
            steps.Add(ViewMapper.Step(allowed));
        }

        if (skipAllow)
        {
            steps.Add(new StepView(destination ? AllowResumeStep.Name : AllowMigrateStep.Name, [], ["skipped (--skip-allow): the secondaries are not checked for HMLMS nor locked"]));
        }

        var bindings = new List<BindView>();
        var bindStep = new BindVfioStep(context);
        foreach (SecondaryMapping target in targets)
        {
            BindVfioResult bound = bindStep.Run(pf, target.Scid, driver);
            steps.Add(ViewMapper.Step(bound));
            bindings.Add(ViewMapper.Bind(bound));
        }

        SecondaryListResult final = dryRun ? list : new ListSecondariesStep(context).Run(pf);
        var view = new CommandView
        {
            Command = destination ? PrepareDestinationCommand.Name : PrepareSourceCommand.Name,
            Pf = pf.ToString(),
            DryRun = dryRun,
            Changed = !dryRun && steps.Any(st => st.Actions.Count > 0),
            Steps = steps,
            Secondaries = final.Secondaries.Where(m => targets.Any(t => t.Scid == m.Scid)).Select(ViewMapper.Secondary).ToList(),
            Bindings = bindings,
        };
        CommandOutput.Write(session, view);
        return ExitCodes.Success;
    }
}

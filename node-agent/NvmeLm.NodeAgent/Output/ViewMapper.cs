using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Steps;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.NodeAgent.Output;

/// <summary>Turns step results into the CLI's output records.</summary>
public static class ViewMapper
{
    public static StepView Step(StepResult result) =>
        new(result.Step, result.Actions.Select(a => a.ToView()).ToList(), result.Notes);

    public static SecondaryControllerView Secondary(SecondaryMapping s) =>
        new(s.Scid, s.Pcid, s.Online ? SecondaryControllerListLayout.ScsOnline : 0, s.Vfn, s.Nvq, s.Nvi, s.Online, s.VirtfnIndex,
            s.VfAddress.ToString(), s.VfEnabled, s.Driver, s.DriverOverride, s.IommuGroup);

    public static BindView Bind(BindVfioResult b) =>
        new(b.Scid, b.Vf.ToString(), b.Driver, b.IommuGroup, b.VfioGroupPath, b.MigrationSupport,
            b.MigrationFlags is VfioMigrationFlags flags ? FlagNames(flags) : null,
            b.MigrationFlags is VfioMigrationFlags raw ? (long)raw : null);

    private static List<string> FlagNames(VfioMigrationFlags flags) =>
        Enum.GetValues<VfioMigrationFlags>().Where(f => f != VfioMigrationFlags.None && flags.HasFlag(f)).Select(f => f.ToString()).ToList();
}

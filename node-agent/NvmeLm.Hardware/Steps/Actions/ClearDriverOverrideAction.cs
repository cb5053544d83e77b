using NvmeLm.Hardware.Pci;

namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>Clear <c>driver_override</c> of <see cref="Function"/> (a newline write, reference §1) so any driver may bind it again.</summary>
public sealed record ClearDriverOverrideAction(PciAddress PhysicalFunction, PciAddress Function) : SysfsWriteAction
{
    public override PciAddress Pf => PhysicalFunction;

    public override IReadOnlyList<SysfsWrite> Writes =>
        [new(SysfsPaths.DeviceAttribute(Function, SysfsPaths.DriverOverrideFile), SriovSysfs.ClearOverrideValue)];

    internal override void Apply(StepContext context) => context.Sysfs.ClearDriverOverride(Function);
}

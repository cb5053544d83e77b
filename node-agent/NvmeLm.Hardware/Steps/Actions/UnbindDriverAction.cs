using NvmeLm.Hardware.Pci;

namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>Detach <see cref="Function"/> from <see cref="Driver"/> via <c>drivers/&lt;drv&gt;/unbind</c> (reference §1).</summary>
public sealed record UnbindDriverAction(PciAddress PhysicalFunction, PciAddress Function, string Driver) : SysfsWriteAction
{
    public override PciAddress Pf => PhysicalFunction;

    public override IReadOnlyList<SysfsWrite> Writes => [new(SysfsPaths.DriverFile(Driver, SysfsPaths.UnbindFile), Function.ToString())];

    internal override void Apply(StepContext context) => context.Sysfs.UnbindDriver(Function);
}

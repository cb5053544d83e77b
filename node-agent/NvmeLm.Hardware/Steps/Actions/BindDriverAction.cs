using NvmeLm.Hardware.Pci;

namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>
/// Bind <see cref="Function"/> to <see cref="Driver"/> with <see cref="SriovSysfs.BindDriver"/>, the dpdk-devbind
/// sequence (reference §1): unbind <see cref="PreviousDriver"/> if any, set <c>driver_override</c>, write the address
/// to <c>drivers/&lt;drv&gt;/bind</c>, clear the override; for a VFIO driver it then verifies <c>/dev/vfio/&lt;group&gt;</c>.
/// </summary>
public sealed record BindDriverAction(PciAddress PhysicalFunction, PciAddress Function, string Driver, string? PreviousDriver) : SysfsWriteAction
{
    public override PciAddress Pf => PhysicalFunction;

    public override IReadOnlyList<SysfsWrite> Writes
    {
        get
        {
            var writes = new List<SysfsWrite>(4);
            if (PreviousDriver is not null)
            {
                writes.Add(new(SysfsPaths.DriverFile(PreviousDriver, SysfsPaths.UnbindFile), Function.ToString()));
            }

            writes.Add(new(SysfsPaths.DeviceAttribute(Function, SysfsPaths.DriverOverrideFile), Driver));
            writes.Add(new(SysfsPaths.DriverFile(Driver, SysfsPaths.BindFile), Function.ToString()));
            writes.Add(new(SysfsPaths.DeviceAttribute(Function, SysfsPaths.DriverOverrideFile), SriovSysfs.ClearOverrideValue));
            return writes;
        }
    }

    internal override void Apply(StepContext context) => context.Sysfs.BindDriver(Function, Driver);
}

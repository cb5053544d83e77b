using NvmeLm.Hardware.Pci;

namespace NvmeLm.Hardware.Steps.Actions;

/// <summary><c>sriov_drivers_autoprobe</c>: 0 before creating VFs so no host driver grabs them (reference §1).</summary>
public sealed record SetAutoprobeAction(PciAddress Device, bool Enabled) : SysfsWriteAction
{
    public override PciAddress Pf => Device;

    public override IReadOnlyList<SysfsWrite> Writes =>
        [new(SysfsPaths.DeviceAttribute(Device, SysfsPaths.SriovDriversAutoprobeFile), Enabled ? "1" : "0")];

    internal override void Apply(StepContext context) => context.Sysfs.SetDriversAutoprobe(Device, Enabled);
}

using System.Globalization;
using NvmeLm.Hardware.Pci;

namespace NvmeLm.Hardware.Steps.Actions;

/// <summary><c>sriov_numvfs</c>; a change between two non-zero values is planned as 0 then N (reference §1, kernel EBUSY rule).</summary>
public sealed record SetNumVfsAction(PciAddress Device, int NumVfs) : SysfsWriteAction
{
    public override PciAddress Pf => Device;

    public override IReadOnlyList<SysfsWrite> Writes =>
        [new(SysfsPaths.DeviceAttribute(Device, SysfsPaths.SriovNumVfsFile), NumVfs.ToString(CultureInfo.InvariantCulture))];

    internal override void Apply(StepContext context) => context.Sysfs.SetNumVfs(Device, NumVfs);
}

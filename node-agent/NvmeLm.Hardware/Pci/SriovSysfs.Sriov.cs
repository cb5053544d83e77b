using System.Globalization;
using NvmeLm.Hardware.Host;
using static NvmeLm.Hardware.Pci.SysfsPaths;

namespace NvmeLm.Hardware.Pci;

public sealed partial class SriovSysfs
{
    /// <summary>
    /// Sets <c>sriov_drivers_autoprobe</c> (write it before <c>sriov_numvfs</c> so new VFs stay unbound, reference §1).
    /// Returns false when it already had the value.
    /// </summary>
    public bool SetDriversAutoprobe(PciAddress pf, bool enabled)
    {
        if (ReadSriov(pf).DriversAutoprobe == enabled)
        {
            return false;
        }

        Write(DeviceAttribute(pf, SriovDriversAutoprobeFile), enabled ? "1" : "0");
        return true;
    }

    /// <summary>
    /// Sets <c>sriov_numvfs</c> following <c>sriov_numvfs_store</c> (reference §1): N &gt; totalvfs is refused before
    /// writing; N == current is a no-op (returns false); changing a non-zero count writes 0 first. Kernel refusals
    /// become <see cref="SysfsRuleException"/>: ERANGE, EBUSY (never retried here: it means VFs are already enabled),
    /// ENOENT (no SR-IOV capable PF driver), EPERM (VFs assigned to a guest).
    /// </summary>
    public bool SetNumVfs(PciAddress pf, int numVfs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numVfs);
        var state = ReadSriov(pf);
        if (numVfs > state.TotalVfs)
        {
            throw new SysfsRuleException(SysfsRuleReason.NumVfsExceedsTotalVfs, pf,
                $"cannot enable {numVfs} VFs, sriov_totalvfs is {state.TotalVfs}", $"Ask for at most {state.TotalVfs} VFs.");
        }

        if (state.NumVfs == numVfs)
        {
            return false;
        }

        if (state.NumVfs != 0 && numVfs != 0)
        {
            WriteNumVfs(pf, 0, state.TotalVfs);
        }

        WriteNumVfs(pf, numVfs, state.TotalVfs);
        return true;
    }

    private void WriteNumVfs(PciAddress pf, int numVfs, int totalVfs)
    {
        try
        {
            Write(DeviceAttribute(pf, SriovNumVfsFile), numVfs.ToString(CultureInfo.InvariantCulture));
        }
        catch (HostIoException ex)
        {
            throw MapNumVfsError(pf, numVfs, totalVfs, ex);
        }
    }

    internal static NvmeLmException MapNumVfsError(PciAddress pf, int numVfs, int totalVfs, HostIoException ex) => ex.Errno switch
    {
        Errnos.ERANGE => new SysfsRuleException(SysfsRuleReason.NumVfsExceedsTotalVfs, pf,
            $"the kernel refused {numVfs} VFs as out of range (sriov_totalvfs read {totalVfs})",
            "Ask for at most sriov_totalvfs VFs; the PF driver may have lowered the limit.", ex),
        Errnos.EBUSY => new SysfsRuleException(SysfsRuleReason.VfsAlreadyEnabled, pf,
            $"VFs are already enabled, so {numVfs} cannot be set directly",
            "Write 0 to sriov_numvfs first (another writer may have changed it concurrently), then the new count.", ex),
        Errnos.ENOENT => new SysfsRuleException(SysfsRuleReason.NoSriovCapableDriver, pf,
            "the PF has no driver that supports SR-IOV configuration",
            "Bind the PF to its driver (nvme) before enabling VFs.", ex),
        Errnos.EPERM => new SysfsRuleException(SysfsRuleReason.VfsAssigned, pf,
            "VFs are assigned to a guest, so SR-IOV cannot change",
            "Release the VFs from their VMs (and VFIO users) first.", ex),
        _ => ex,
    };

    private void Write(string path, string value)
    {
        _logger.SysfsWrite(path, value.TrimEnd('\n'));
        _files.WriteAllText(path, value);
    }
}

using NvmeLm.Hardware.Host;
using static NvmeLm.Hardware.Pci.SysfsPaths;

namespace NvmeLm.Hardware.Pci;

public sealed partial class SriovSysfs
{
    /// <summary>Writing a newline clears <c>driver_override</c> (the kernel cuts at '\n' and an empty result means unset).</summary>
    public const string ClearOverrideValue = "\n";

    /// <summary>
    /// Binds a function to <paramref name="driver"/> the way dpdk-devbind <c>bind_one</c> does (reference §1):
    /// unbind the current driver, write <c>driver_override</c>, write the address to <c>drivers/&lt;driver&gt;/bind</c>
    /// (on failure rebind the previous driver), then clear the override. For VFIO drivers it verifies that
    /// <c>/dev/vfio/&lt;group&gt;</c> exists. Already bound to <paramref name="driver"/> = no writes.
    /// EBUSY/EAGAIN from <c>bind</c> while the device has no driver is a concurrent probe and is retried; if the
    /// device turns up bound to the requested driver that counts as success, bound elsewhere is a rule error.
    /// </summary>
    public BindResult BindDriver(PciAddress address, string driver)
    {
        DriverName.Validate(driver);
        RequireDevice(address);
        if (!_files.Exists($"{SysBusPciDrivers}/{driver}"))
        {
            throw new SysfsRuleException(SysfsRuleReason.DriverNotLoaded, address, $"driver '{driver}' is not loaded", $"Load it first (modprobe {driver}).");
        }

        string? previous = ReadDriver(address);
        if (previous == driver)
        {
            return new BindResult(address, driver, previous, Changed: false, VerifyVfioGroup(address, driver));
        }

        if (previous is not null)
        {
            UnbindFrom(address, previous);
        }

        Write(DeviceAttribute(address, DriverOverrideFile), driver);
        try
        {
            TransientRetry.Execute(() => BindOnce(address, driver));
            if (ReadDriver(address) != driver)
            {
                throw new SysfsRuleException(SysfsRuleReason.BindRejected, address, $"the bind write to '{driver}' succeeded but the device is not bound to it",
                    "See dmesg for the driver's probe error.");
            }
        }
        catch (NvmeLmException ex)
        {
            RestorePrevious(address, driver, previous, ex);
            throw MapBindError(address, driver, ex);
        }

        Write(DeviceAttribute(address, DriverOverrideFile), ClearOverrideValue);
        return new BindResult(address, driver, previous, Changed: true, VerifyVfioGroup(address, driver));
    }

    /// <summary>Unbinds the current driver, if any; returns the driver it had (null = was unbound, nothing written).</summary>
    public string? UnbindDriver(PciAddress address)
    {
        RequireDevice(address);
        string? current = ReadDriver(address);
        if (current is not null)
        {
            UnbindFrom(address, current);
        }

        return current;
    }

    /// <summary>Clears <c>driver_override</c> if set; returns false when it was already unset.</summary>
    public bool ClearDriverOverride(PciAddress address)
    {
        if (ReadDriverOverride(address) is null)
        {
            return false;
        }

        Write(DeviceAttribute(address, DriverOverrideFile), ClearOverrideValue);
        return true;
    }

    private void BindOnce(PciAddress address, string driver)
    {
        string? current = ReadDriver(address);
        if (current == driver)
        {
            return;
        }

        if (current is not null)
        {
            throw new SysfsRuleException(SysfsRuleReason.BoundToOtherDriver, address,
                $"was bound to '{current}' while binding to '{driver}'", "Another agent or udev rule is binding this device; stop it and retry.");
        }

        Write(DriverFile(driver, BindFile), address.ToString());
    }

    private void UnbindFrom(PciAddress address, string driver)
    {
        try
        {
            Write(DriverFile(driver, UnbindFile), address.ToString());
        }
        catch (HostIoException ex) when (ex.Errno == Errnos.ENODEV && ReadDriver(address) is null)
        {
            // unbind_store answers ENODEV when the device is no longer bound to that driver: already done.
        }
    }

    private void RestorePrevious(PciAddress address, string driver, string? previous, Exception failure)
    {
        try
        {
            Write(DeviceAttribute(address, DriverOverrideFile), ClearOverrideValue);
            if (previous is not null && ReadDriver(address) is null)
            {
                _logger.BindRollback(address, driver, previous, failure);
                Write(DriverFile(previous, BindFile), address.ToString());
            }
        }
        catch (HostIoException)
        {
            // Best effort, as in bind_one: the original failure is what the caller must see.
        }
    }

    private int? VerifyVfioGroup(PciAddress address, string driver)
    {
        int? group = ReadIommuGroup(address);
        if (!DriverName.IsVfio(driver))
        {
            return group;
        }

        if (group is null)
        {
            throw new SysfsRuleException(SysfsRuleReason.VfioGroupMissing, address, $"bound to '{driver}' but the device has no IOMMU group",
                "Enable the IOMMU (intel_iommu=on or amd_iommu=on) so VFIO can expose the device.");
        }

        if (!VfioGroupDeviceExists(group.Value))
        {
            throw new SysfsRuleException(SysfsRuleReason.VfioGroupMissing, address, $"bound to '{driver}' but {VfioGroupDevice(group.Value)} does not exist",
                "Check that the vfio modules are loaded and devtmpfs is mounted on /dev.");
        }

        return group;
    }

    private static NvmeLmException MapBindError(PciAddress address, string driver, NvmeLmException ex) => ex switch
    {
        HostIoException io when io.Errno is Errnos.ENODEV or Errnos.EINVAL => new SysfsRuleException(SysfsRuleReason.BindRejected, address,
            $"driver '{driver}' refused the device", "See dmesg; vfio-pci needs an IOMMU (probe fails with EINVAL without one).", io),
        HostIoException io when io.Errno is Errnos.EBUSY or Errnos.EAGAIN => new SysfsRuleException(SysfsRuleReason.BindRejected, address,
            $"binding to '{driver}' stayed busy after {TransientRetryAttempts} retries", "Another probe of this device is running; retry later.", io),
        _ => ex,
    };
}

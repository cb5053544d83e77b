namespace NvmeLm.Hardware.Pci;

/// <summary>Why the kernel (or a check that mirrors a kernel rule) refused a sysfs change.</summary>
public enum SysfsRuleReason
{
    /// <summary>sriov_numvfs &gt; sriov_totalvfs (kernel: -ERANGE).</summary>
    NumVfsExceedsTotalVfs,
    /// <summary>VFs are already enabled and a different non-zero count was written (kernel: -EBUSY).</summary>
    VfsAlreadyEnabled,
    /// <summary>The PF has no driver, or its driver has no sriov_configure (kernel: -ENOENT).</summary>
    NoSriovCapableDriver,
    /// <summary>VFs are assigned to a guest, so SR-IOV cannot change (pci_sriov_configure_simple: -EPERM).</summary>
    VfsAssigned,
    /// <summary>The device is bound to a different driver than the one requested.</summary>
    BoundToOtherDriver,
    /// <summary>The driver refused the device (bind returned ENODEV/EINVAL, e.g. no IOMMU for vfio-pci).</summary>
    BindRejected,
    /// <summary>Bound to a VFIO driver but <c>/dev/vfio/&lt;group&gt;</c> did not appear.</summary>
    VfioGroupMissing,
    /// <summary>The requested driver is not loaded (no <c>/sys/bus/pci/drivers/&lt;driver&gt;</c>).</summary>
    DriverNotLoaded,
    /// <summary>The PCI function or attribute does not exist.</summary>
    NoSuchDevice,
}

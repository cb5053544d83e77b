namespace NvmeLm.Hardware.Safety;

/// <summary>Why the agent refused to act; every refusal happens before the first host write.</summary>
public enum RefusalReason
{
    /// <summary>The caller's input is malformed or out of range (address, VF count, SCID, file).</summary>
    InvalidInput,
    /// <summary>The PF is not in the caller's explicit allow-list (DESIGN §5: never touch a PF no pool selects).</summary>
    NotSelected,
    /// <summary>No NVMe SR-IOV physical function exists at that address.</summary>
    UnknownDevice,
    /// <summary>A namespace of the controller is mounted or held by another block device (LVM, md, dm).</summary>
    InUseByFilesystem,
    /// <summary>The VF's VFIO group (or VFIO device cdev) is open, i.e. a VMM is using it.</summary>
    InUseByVmm,
    /// <summary>The controller lacks a capability the step needs (e.g. OACS bit 11 HMLMS).</summary>
    MissingCapability,
    /// <summary>The journal records another owner for the PF or the secondary controller.</summary>
    OwnedByOther,
    /// <summary>The hardware is not in a state the step can start from (e.g. secondary offline, VFN mapping disagrees with sysfs).</summary>
    WrongState,
    /// <summary>Controller state failed its size or SHA-256 check, or its format is not supported by the destination.</summary>
    StateMismatch,
}

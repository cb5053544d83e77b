namespace NvmeLm.Hardware.Nvme;

/// <summary>
/// NVMe status codes this layer names, keyed by <c>SCT &lt;&lt; 8 | SC</c> (without CRD/M/DNR), so
/// <c>InvalidSecondaryControllerState</c> = 0x120 and the ioctl returns 0x4120 with DNR.
/// Sources: NVMe base spec values as encoded by libnvme / kernel <c>include/linux/nvme.h</c> (reference §3),
/// measured in the QEMU lab (0x4120, 0x4121).
/// </summary>
public enum NvmeStatusCode : ushort
{
    // Generic command status (SCT 0).
    InvalidCommandOpcode = 0x001,
    InvalidFieldInCommand = 0x002,
    CommandIdConflict = 0x003,
    DataTransferError = 0x004,
    InternalError = 0x006,
    CommandAbortRequested = 0x007,
    CommandSequenceError = 0x00C,

    // Command specific status (SCT 1).
    InvalidControllerIdentifier = 0x11F,
    /// <summary>Virtualization Management: e.g. online before the VF exists, or without resources (QEMU lab: 0x4120).</summary>
    InvalidSecondaryControllerState = 0x120,
    /// <summary>Virtualization Management: more resources than the secondary maximum (QEMU lab: 0x4121).</summary>
    InvalidNumberOfControllerResources = 0x121,
    InvalidResourceIdentifier = 0x122,

    /// <summary>
    /// TP4159 "Controller Suspended". SC 0x39 per the 2025 NVIDIA vfio-nvme RFC patch 2/4
    /// (<c>NVME_SC_CTRL_SUSPENDED = 0x39</c> in include/linux/nvme.h) and consistent with a public nvme ABI
    /// table that lists 0x3A as command specific. The libnvme define NVME_SC_CONTROLLER_SUSPENDED was not
    /// found in the searchable sources: SCT 1 (command specific) is UNVERIFIED against the spec text.
    /// </summary>
    ControllerSuspended = 0x139,

    /// <summary>
    /// TP4159 "Controller Not Suspended". SC 0x3A per the RFC (<c>NVME_SC_CTRL_NOT_SUSPENDED = 0x3A</c>) and a
    /// public nvme ABI table (<c>kControllerNotSuspended = 0x3a</c>, command specific). SCT 1 UNVERIFIED against libnvme.
    /// </summary>
    ControllerNotSuspended = 0x13A,
}

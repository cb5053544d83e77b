namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// Why a pool VF is advertised Unhealthy (issue 10: honest health from hardware truth and the agent's own state).
/// Several can hold at once; none means Healthy.
/// </summary>
[Flags]
public enum VfUnhealthyCauses
{
    None = 0,

    /// <summary>The secondary controller is offline (CNS 0x15 SCS bit 0 clear): the VF cannot be used.</summary>
    SecondaryOffline = 1 << 0,

    /// <summary>The VF is not bound to its pool's VFIO driver, or <c>/dev/vfio/&lt;group&gt;</c> is missing.</summary>
    NotOnPoolDriver = 1 << 1,

    /// <summary>The PF's controller could not be read (Identify failed): nothing about its VFs is known to be right.</summary>
    PfDegraded = 1 << 2,

    /// <summary>The agent's last apply of the PF's spec failed (or the PF's spec entry is invalid).</summary>
    ApplyFailed = 1 << 3,

    /// <summary>
    /// A migration holds the VF (MigrationSource / ResumeTarget in spec or journal, or suspended): never for a new pod.
    /// Not set for a ResumeTarget the spec marks <c>handToTargetPod</c> (a Vmm destination KubeVirt's target pod must get).
    /// </summary>
    HeldByMigration = 1 << 4,
}

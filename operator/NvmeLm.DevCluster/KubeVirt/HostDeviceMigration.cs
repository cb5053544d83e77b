namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>What the simulated KubeVirt does with a VMI that has PCI host devices.</summary>
public enum HostDeviceMigration
{
    /// <summary>KubeVirt v1.5 – v1.9: <c>LiveMigratable=False</c>, reason <c>HostDeviceNotLiveMigratable</c>; its migrations fail.</summary>
    Refuse,

    /// <summary>A KubeVirt (and QEMU, kernel) that migrates VFIO devices: the VMI is live-migratable.</summary>
    Migrate,
}

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// One pool VF as the device plugin advertises it: ID = the VF's PCI address, its PF (for spreading), IOMMU group
/// (for <c>/dev/vfio/&lt;group&gt;</c>), and health with the causes when unhealthy. <see cref="HeldBy"/> names the
/// NvmeMigration UID holding it; such a VF that is still Healthy is a <c>stateTransfer: Vmm</c> destination reserved for
/// KubeVirt's target pod (issue 11, <see cref="ForTargetPod"/>).
/// </summary>
public sealed record VfDevice(string Id, string ResourceName, string Pf, int? IommuGroup, VfUnhealthyCauses Unhealthy, string? HeldBy = null)
{
    public bool Healthy => Unhealthy == VfUnhealthyCauses.None;

    public string Health => Healthy ? KubeletApi.Healthy : KubeletApi.Unhealthy;

    /// <summary>Reserved by a migration and still allocatable: the VF KubeVirt's migration target pod must get.</summary>
    public bool ForTargetPod => HeldBy is not null && Healthy;
}

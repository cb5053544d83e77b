namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// One pool VF as the device plugin advertises it: ID = the VF's PCI address, its PF (for spreading), IOMMU group
/// (for <c>/dev/vfio/&lt;group&gt;</c>), and health with the causes when unhealthy. <see cref="HeldBy"/> names the
/// NvmeMigration UID holding it (issue 11 hands exactly such a reserved VF to that migration's target pod).
/// </summary>
public sealed record VfDevice(string Id, string ResourceName, string Pf, int? IommuGroup, VfUnhealthyCauses Unhealthy, string? HeldBy = null)
{
    public bool Healthy => Unhealthy == VfUnhealthyCauses.None;

    public string Health => Healthy ? KubeletApi.Healthy : KubeletApi.Unhealthy;
}

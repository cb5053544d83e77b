namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>A simulated virt-launcher pod: where a VMI (or a migration's target) runs.</summary>
/// <param name="MigrationUid">The VMIM this is the target pod of; null for the VMI's first pod.</param>
/// <param name="ResourceName">The device-plugin resource the VMI's host device asks for (its <c>deviceName</c>).</param>
public sealed record LauncherPod(string Namespace, string Vmi, string Node, string Name, string Uid, string? MigrationUid, string ResourceName);

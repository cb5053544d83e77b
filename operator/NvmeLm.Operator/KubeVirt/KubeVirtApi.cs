namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// The KubeVirt names the bridge relies on (kubevirt.io/v1; reference <c>kubevirt-deviceplugin-helm-facts.md</c> §1,
/// from <c>staging/src/kubevirt.io/api/core/v1/types.go</c>).
/// </summary>
public static class KubeVirtApi
{
    public const string Group = "kubevirt.io";

    public const string Version = "v1";

    public const string ApiVersion = Group + "/" + Version;

    /// <summary>VMI condition: whether KubeVirt would live-migrate it.</summary>
    public const string LiveMigratableCondition = "LiveMigratable";

    /// <summary>Reason KubeVirt (v1.5 – v1.9) gives for a VMI with generic PCI host devices.</summary>
    public const string HostDeviceNotLiveMigratable = "HostDeviceNotLiveMigratable";
}

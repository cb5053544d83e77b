namespace NvmeLm.Api;

/// <summary>
/// The API group and version of every nvmelm.io custom resource. The operator, the agent and the CRD
/// generator read these constants, so a group or version is spelled exactly once.
/// </summary>
public static class NvmeLmApi
{
    public const string Group = "nvmelm.io";
    public const string Version = "v1alpha1";

    /// <summary><c>nvmelm.io/v1alpha1</c>, the <c>apiVersion</c> of every object of this API.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The <c>kubectl get nvmelm</c> category every CRD of this API belongs to.</summary>
    public const string Category = "nvmelm";

    /// <summary>The device-plugin resource name pools advertise unless they choose another.</summary>
    public const string DefaultResourceName = "nvmelm.io/migratable-vf";

    /// <summary>The VFIO driver a VF is bound to unless the pool names a variant driver.</summary>
    public const string DefaultVfioDriver = "vfio-pci";

    /// <summary>
    /// The data key of the migration-state Secret (DESIGN §4): the source agent writes the controller state under
    /// it, the operator checks it, the destination agent reads it.
    /// </summary>
    public const string StateSecretDataKey = "state";

    /// <summary>
    /// Largest controller state moved through a Secret: kube-apiserver refuses objects above 1 MiB, so leave room
    /// for metadata. The agent refuses to write more; the operator fails a migration that reports more.
    /// </summary>
    public const int MaxStateBytes = (1024 * 1024) - (16 * 1024);
}

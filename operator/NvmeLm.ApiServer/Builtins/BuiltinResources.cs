using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// The built-in resources the system and its chart use, with the names, scope, subresources and columns
/// kube-apiserver gives them (one file per API group area).
/// </summary>
public static class BuiltinResources
{
    public const string Owner = "builtin";

    public static IReadOnlyList<ResourceType> Create(IResourceStrategy crdStrategy) =>
    [
        .. CoreResources.Create(),
        .. WorkloadResources.Create(),
        .. RbacResources.Create(),
        .. AdmissionRegistrationResources.Create(),
        .. ClusterResources.Create(crdStrategy),
    ];
}

using k8s.Models;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Tables;
using static NvmeLm.ApiServer.Tables.DelegateTableConvertor;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>coordination.k8s.io/v1 Lease and apiextensions.k8s.io/v1 CustomResourceDefinition.</summary>
internal static class ClusterResources
{
    public static IEnumerable<ResourceType> Create(IResourceStrategy crdStrategy)
    {
        yield return new ResourceType
        {
            Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease", Model = typeof(V1Lease),
            Namespaced = true, Storage = new StorageKey("coordination.k8s.io", "leases"),
            Table = new DelegateTableConvertor(
                Column("Holder", "The holder of the lease", o => o["spec"]?["holderIdentity"]?.DeepClone() ?? ""),
                Age),
        };
        yield return new ResourceType
        {
            Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions", Singular = "customresourcedefinition",
            Kind = "CustomResourceDefinition", Model = typeof(V1CustomResourceDefinition), Namespaced = false, ShortNames = ["crd", "crds"], HasStatusSubresource = true,
            Storage = new StorageKey("apiextensions.k8s.io", "customresourcedefinitions"), Strategy = crdStrategy,
            Table = new DelegateTableConvertor(
                (new TableColumn("Created At", "date", "CreationTimestamp is a timestamp representing the server time when this object was created."),
                    (o, _) => o["metadata"]?["creationTimestamp"]?.DeepClone())),
        };
    }
}

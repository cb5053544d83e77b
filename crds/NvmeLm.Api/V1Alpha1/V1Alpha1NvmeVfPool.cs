using k8s.Models;
using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>
/// NvmeVfPool: the standing intent to provision migratable VFs on the NVMe PFs a selector matches
/// (DESIGN §3, seed steps 1–4). The operator renders each pool onto the NvmeNode specs it selects.
/// </summary>
[KubernetesEntity(Group = NvmeLmApi.Group, ApiVersion = NvmeLmApi.Version, Kind = KindName, PluralName = Plural)]
[CustomResource(ResourceScope.Cluster, Singular, "nvmepool")]
[PrinterColumn(0, "Selected", "integer", ".status.selectedNodes", Description = "Nodes the pool selects")]
[PrinterColumn(1, "Ready", "integer", ".status.readyNodes", Description = "Selected nodes whose VFs are provisioned")]
[PrinterColumn(2, "Age", "date", ".metadata.creationTimestamp")]
[Description("NvmeVfPool provisions migratable NVMe VFs (SR-IOV secondary controllers) on the PFs it selects; the operator renders it onto NvmeNode specs.")]
public sealed partial class V1Alpha1NvmeVfPool : CustomResource<V1Alpha1NvmeVfPool.EntitySpec, V1Alpha1NvmeVfPool.EntityStatus>
{
    public const string KindName = "NvmeVfPool";
    public const string Plural = "nvmevfpools";
    public const string Singular = "nvmevfpool";

    public V1Alpha1NvmeVfPool()
        : base(KindName)
    {
    }
}

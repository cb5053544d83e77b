using k8s.Models;
using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>
/// NvmeNode: the per-node contract (DESIGN §3). Its name is the node's name; the operator writes
/// <c>spec</c> (desired PF/VF layout and requested migration operations), the node's agent writes
/// <c>status</c> (hardware inventory and operation results).
/// </summary>
[KubernetesEntity(Group = NvmeLmApi.Group, ApiVersion = NvmeLmApi.Version, Kind = KindName, PluralName = Plural)]
[CustomResource(ResourceScope.Cluster, Singular, "nvmenode")]
[PrinterColumn(0, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", Description = "The agent applied the current spec")]
[PrinterColumn(1, "PFs", "integer", ".status.pfCount", Description = "NVMe PFs found on the node")]
[PrinterColumn(2, "VFs", "integer", ".status.vfCount", Description = "Enabled VFs across all PFs")]
[PrinterColumn(3, "Migratable", "integer", ".status.migratableVfCount", Description = "VFs whose primary supports host-managed live migration")]
[PrinterColumn(4, "Allocated", "integer", ".status.allocatedVfCount", Description = "VFs the kubelet allocated to a container", Priority = 1)]
[PrinterColumn(5, "Age", "date", ".metadata.creationTimestamp")]
[Description("NvmeNode is the per-node contract between the operator (spec) and the node agent (status); its name is the node name.")]
public sealed partial class V1Alpha1NvmeNode : CustomResource<V1Alpha1NvmeNode.EntitySpec, V1Alpha1NvmeNode.EntityStatus>
{
    public const string KindName = "NvmeNode";
    public const string Plural = "nvmenodes";
    public const string Singular = "nvmenode";

    public V1Alpha1NvmeNode()
        : base(KindName)
    {
    }
}

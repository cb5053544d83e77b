using k8s.Models;
using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>
/// NvmeMigration: one two-node transaction that moves an NVMe VF's controller state from a source VF to
/// a prepared destination VF, with rollback (DESIGN §3–§4).
/// </summary>
[KubernetesEntity(Group = NvmeLmApi.Group, ApiVersion = NvmeLmApi.Version, Kind = KindName, PluralName = Plural)]
[CustomResource(ResourceScope.Namespaced, Singular, "nvmemig")]
[PrinterColumn(0, "Phase", "string", ".status.phase", Description = "Where the transaction is")]
[PrinterColumn(1, "Source", "string", ".spec.source.node", Description = "Source node")]
[PrinterColumn(2, "Destination", "string", ".spec.destination.node", Description = "Destination node")]
[PrinterColumn(3, "Downtime-ms", "integer", ".status.downtime.milliseconds", Description = "Device downtime: Suspend on the source to Resume on the destination")]
[PrinterColumn(4, "Age", "date", ".metadata.creationTimestamp")]
[Description("NvmeMigration moves a live NVMe VF (secondary controller) from a source node to a prepared destination VF as one transaction that rolls back on failure.")]
public sealed partial class V1Alpha1NvmeMigration : CustomResource<V1Alpha1NvmeMigration.EntitySpec, V1Alpha1NvmeMigration.EntityStatus>
{
    public const string KindName = "NvmeMigration";
    public const string Plural = "nvmemigrations";
    public const string Singular = "nvmemigration";

    public V1Alpha1NvmeMigration()
        : base(KindName)
    {
    }
}

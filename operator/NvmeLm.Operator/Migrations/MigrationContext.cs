using k8s.Models;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Resources;
using NvmeLm.Operator.Hosting;
using NvmeLm.Operator.KubeVirt;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// What the migration controller works with: API clients on the shared connection, the caches and the outputs, the
/// per-node critical-section gate, and the operator's lifetime (<see cref="Stopping"/>), which bounds every write it
/// makes in the background so a stopped operator writes nothing more.
/// </summary>
internal sealed record MigrationContext(
    ResourceClient<V1Alpha1NvmeMigration> Migrations,
    ResourceClient<V1Alpha1NvmeNode> Nodes,
    ResourceClient<V1Secret> Secrets,
    ObjectCache<V1Alpha1NvmeNode> NodeCache,
    ObjectCache<V1Alpha1NvmeMigration>? MigrationCache,
    EventRecorder? Events,
    OperatorMetrics Metrics,
    MigrationOptions Options,
    TimeProvider Time,
    ILogger Logger,
    CriticalSectionGate Gate,
    CancellationToken Stopping,
    KubeVirtView KubeVirt,
    ResourceClient<VirtualMachineInstanceMigration> Vmims)
{
    /// <summary>The operator's own last write of each migration: a reconcile starts from the cache while it holds that write.</summary>
    public OwnWrites OwnWrites { get; } = new();
}

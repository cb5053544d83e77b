using k8s.Models;
using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

public sealed partial class V1Alpha1NvmeNode
{
    [Description("Hardware truth and operation results, written by the node's agent only.")]
    public sealed class EntityStatus
    {
        [Description("metadata.generation of the spec the agent last applied.")]
        public long? ObservedGeneration { get; set; }

        [ListMap("type")]
        [MaxItems(16)]
        [Description("Ready (spec applied, inventory current), Degraded (drift or a hardware error; see lastSyncError).")]
        public IList<V1Condition>? Conditions { get; set; }

        [MaxLength(4096)]
        [Description("Error of the last sync that failed; cleared by the next successful sync.")]
        public string? LastSyncError { get; set; }

        [Description("When the agent last wrote this status; a stale heartbeat means the agent is gone.")]
        public DateTime? HeartbeatTime { get; set; }

        [MaxLength(64)]
        [Description("Version of the agent that wrote the status.")]
        public string? AgentVersion { get; set; }

        [Minimum(0)]
        [Description("Number of NVMe PFs in the inventory.")]
        public int PfCount { get; set; }

        [Minimum(0)]
        [Description("Number of enabled VFs across all PFs.")]
        public int VfCount { get; set; }

        [Minimum(0)]
        [Description("Number of VFs that are online and whose primary supports host-managed live migration.")]
        public int MigratableVfCount { get; set; }

        [Minimum(0)]
        [Description("Number of VFs the kubelet allocated to a container (secondaries with allocatedTo).")]
        public int AllocatedVfCount { get; set; }

        [ListMap("address")]
        [MaxItems(64)]
        [Description("Inventory of the node's NVMe PFs.")]
        public IList<PhysicalFunctionStatus>? PhysicalFunctions { get; set; }

        [ListMap("id")]
        [MaxItems(256)]
        [Description("Results of spec.operations, by id.")]
        public IList<NodeOperationResult>? OperationResults { get; set; }
    }
}

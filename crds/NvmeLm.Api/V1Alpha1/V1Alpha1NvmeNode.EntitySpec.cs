using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

public sealed partial class V1Alpha1NvmeNode
{
    [Description("Desired state of the node's NVMe PFs, written by the operator.")]
    public sealed class EntitySpec
    {
        [ListMap("address")]
        [MaxItems(64)]
        [Description("PFs the agent manages, keyed by PCI address. A PF not listed is never touched.")]
        public IList<PhysicalFunctionSpec>? PhysicalFunctions { get; set; }

        [ListMap("id")]
        [MaxItems(256)]
        [Description("Migration operations requested of this node's agent; results appear in status.operationResults under the same id.")]
        public IList<NodeOperation>? Operations { get; set; }
    }
}

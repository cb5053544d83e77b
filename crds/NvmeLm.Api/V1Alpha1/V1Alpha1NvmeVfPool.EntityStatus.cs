using k8s.Models;
using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

public sealed partial class V1Alpha1NvmeVfPool
{
    [Description("What the operator observed while rendering the pool.")]
    public sealed class EntityStatus
    {
        [Description("metadata.generation the status was computed from.")]
        public long? ObservedGeneration { get; set; }

        [ListMap("type")]
        [MaxItems(16)]
        [Description("Ready (every selected node provisioned), Progressing, Degraded, Conflict (another pool selects the same PF).")]
        public IList<V1Condition>? Conditions { get; set; }

        [Minimum(0)]
        [Description("Number of nodes the pool selects.")]
        public int SelectedNodes { get; set; }

        [Minimum(0)]
        [Description("Number of selected nodes whose agents report the pool's VFs provisioned.")]
        public int ReadyNodes { get; set; }

        [Minimum(0)]
        [Description("Number of PFs the pool selects across all nodes.")]
        public int SelectedControllers { get; set; }

        [ListSet]
        [MaxItems(5000)]
        [Pattern(ApiPatterns.NodeName)]
        [Description("Names of the selected nodes.")]
        public IList<string>? Nodes { get; set; }
    }
}

using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

public sealed partial class V1Alpha1NvmeMigration
{
    [Description("What to migrate, where, and how.")]
    [ValidationRule("self.source.node != self.destination.node || self.allowSameNode", "source.node and destination.node must differ unless allowSameNode is true", FieldPath = ".destination.node")]
    [ValidationRule("has(self.vmiName) || has(self.source.vfAddress)", "source.vfAddress is required unless vmiName names the VMI that holds the VF", FieldPath = ".source.vfAddress")]
    [ValidationRule("has(self.vmiName) == has(oldSelf.vmiName) && (!has(self.vmiName) || self.vmiName == oldSelf.vmiName)", "vmiName is immutable", FieldPath = ".vmiName")]
    public sealed class EntitySpec
    {
        [Pattern(ApiPatterns.Dns1123Subdomain)]
        [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
        [Description("Optional KubeVirt VirtualMachineInstance (same namespace) whose NVMe VF is migrated; when set, the operator resolves the source VF from it and drives the VMI's live migration. Immutable.")]
        public string? VmiName { get; set; }

        [Required]
        [ValidationRule("self == oldSelf", "source is immutable")]
        [Description("The VF to migrate. Immutable.")]
        public MigrationSource Source { get; set; } = new();

        [Required]
        [ValidationRule("self == oldSelf", "destination is immutable")]
        [Description("Where to migrate it. Immutable.")]
        public MigrationDestination Destination { get; set; } = new();

        [Default(false)]
        [Description("Allow source and destination on the same node (two PFs of one host, or a test); off by default because it is usually a mistake.")]
        public bool AllowSameNode { get; set; }

        [Default(nameof(StateTransferMode.Agent))]
        [ValidationRule("self == oldSelf", "stateTransfer is immutable")]
        [Description("Agent: the agents move the controller state through the PFs (Migration Send/Receive) and a Secret. Vmm: a VFIO variant driver in the VMM moves it; the agents only prepare and release.")]
        public StateTransferMode StateTransfer { get; set; } = StateTransferMode.Agent;

        [Default(nameof(MigrationMode.Apply))]
        [ValidationRule("self == oldSelf || oldSelf == 'Plan'", "mode can only change from Plan to Apply")]
        [Description("Apply: perform the migration. Plan: compute and publish status.plan, change nothing; switch to Apply to approve the plan.")]
        public MigrationMode Mode { get; set; } = MigrationMode.Apply;

        [Default(300)]
        [Minimum(10)]
        [Maximum(3600)]
        [Description("Deadline for the whole transaction, from the start of PreparingDestination; exceeding it fails and rolls back.")]
        public int TimeoutSeconds { get; set; } = 300;
    }
}

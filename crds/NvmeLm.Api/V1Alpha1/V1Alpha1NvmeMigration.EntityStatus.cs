using k8s.Models;
using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

public sealed partial class V1Alpha1NvmeMigration
{
    [Description("Progress of the transaction, written by the operator.")]
    public sealed class EntityStatus
    {
        [Description("Current phase.")]
        public MigrationPhase? Phase { get; set; }

        [Description("metadata.generation the status reflects.")]
        public long? ObservedGeneration { get; set; }

        [ListMap("type")]
        [MaxItems(16)]
        [Description("Ready, Progressing, Degraded, SourcePrepared, DestinationPrepared, StateTransferred, Migrated.")]
        public IList<V1Condition>? Conditions { get; set; }

        [Description("The source VF resolved against inventory.")]
        public ResolvedEndpoint? Source { get; set; }

        [Description("The destination VF the operator reserved.")]
        public ResolvedEndpoint? Destination { get; set; }

        [MaxItems(128)]
        [Description("Host actions, in order; published in Plan mode before anything changes.")]
        public IList<PlannedAction>? Plan { get; set; }

        [MaxItems(128)]
        [Description("Steps executed so far, in order, including rollback steps.")]
        public IList<MigrationStep>? Steps { get; set; }

        [Minimum(0)]
        [Description("Size of the controller state moved, in bytes.")]
        public long? StateSizeBytes { get; set; }

        [Pattern(ApiPatterns.Sha256)]
        [Description("SHA-256 (lower-case hex) of the controller state; the destination verifies it before Set Controller State.")]
        public string? StateSha256 { get; set; }

        [Pattern(ApiPatterns.Dns1123Subdomain)]
        [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
        [Description("Secret (owned by this NvmeMigration) that carries the controller state.")]
        public string? SecretName { get; set; }

        [Pattern(ApiPatterns.Dns1123Subdomain)]
        [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
        [Description("Name of the KubeVirt VirtualMachineInstanceMigration this migration drives, when vmiName is set.")]
        public string? KubevirtMigration { get; set; }

        [MaxLength(128)]
        [Description("CamelCase reason of the failure when phase is Failed.")]
        public string? FailureReason { get; set; }

        [Description("Device downtime: how long the VF's controller was stopped (DESIGN §4.1).")]
        public DeviceDowntime? Downtime { get; set; }

        [Description("When the transaction started (left Pending).")]
        public DateTime? StartTime { get; set; }

        [Description("When it reached Succeeded or Failed.")]
        public DateTime? CompletionTime { get; set; }
    }
}

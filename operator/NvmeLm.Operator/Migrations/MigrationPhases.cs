using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>Facts about the phases of DESIGN §4.</summary>
internal static class MigrationPhases
{
    public static MigrationPhase Of(V1Alpha1NvmeMigration migration) => migration.Status?.Phase ?? MigrationPhase.Pending;

    /// <summary>Phases in which hardware may have been touched and a failure must roll back.</summary>
    public static bool CanRollBack(MigrationPhase phase) => phase is MigrationPhase.PreparingDestination or MigrationPhase.PreparingSource
        or MigrationPhase.Ready or MigrationPhase.Suspending or MigrationPhase.TransferringState or MigrationPhase.Resuming;

    public static bool IsTerminal(MigrationPhase phase) => phase is MigrationPhase.Succeeded or MigrationPhase.Failed;

    /// <summary>Phases after which the source controller may be suspended (a Suspend was requested).</summary>
    public static bool SourceMayBeSuspended(MigrationPhase phase) =>
        phase is MigrationPhase.Suspending or MigrationPhase.TransferringState or MigrationPhase.Resuming;

    /// <summary>The conditions every phase implies; step-specific conditions are set by the transition itself.</summary>
    public static void ApplyConditions(V1Alpha1NvmeMigration.EntityStatus status, MigrationPhase phase, long? generation, DateTimeOffset now)
    {
        status.Conditions ??= new List<k8s.Models.V1Condition>();
        var conditions = status.Conditions;
        var reason = phase.ToString();
        switch (phase)
        {
            case MigrationPhase.Pending:
                break;
            case MigrationPhase.Planned:
                Set(MigrationConditions.Ready, "False", "Planned", "status.plan lists the host actions; set mode to Apply to run them.");
                Set(MigrationConditions.Progressing, "False", "AwaitingApproval", "Nothing changes while mode is Plan.");
                Set(MigrationConditions.Degraded, "False", "Planned", "");
                break;
            case MigrationPhase.Succeeded:
                Set(MigrationConditions.Ready, "True", "Migrated", "The VF's controller runs on the destination; both VFs are back in their pools.");
                Set(MigrationConditions.Progressing, "False", "Succeeded", "");
                Set(MigrationConditions.Degraded, "False", "Succeeded", "");
                break;
            case MigrationPhase.RollingBack:
                Set(MigrationConditions.Ready, "False", status.FailureReason ?? "Failed", "Rolling back: " + (status.FailureReason ?? ""));
                Set(MigrationConditions.Progressing, "True", reason, "Resuming the source if it was suspended and releasing the destination.");
                break;
            case MigrationPhase.Failed:
                Set(MigrationConditions.Progressing, "False", "Failed", "");
                break;
            default:
                Set(MigrationConditions.Ready, "False", "InProgress", $"Phase {phase}.");
                Set(MigrationConditions.Progressing, "True", reason, $"Phase {phase}.");
                Set(MigrationConditions.Degraded, "False", reason, "");
                break;
        }

        void Set(string type, string value, string why, string message) =>
            NvmeLm.Kube.Resources.Conditions.Set(conditions, type, value, why, message, generation, now);
    }
}

using System.Text.Json.Serialization;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>
/// Phases of an NvmeMigration (DESIGN §4): <c>Pending → (Planned) → PreparingDestination → PreparingSource →
/// Ready → Suspending → TransferringState → Resuming → Completing → Succeeded</c>; after hardware was touched a
/// failure goes <c>RollingBack → Failed</c>. A failure before any hardware change goes straight to Failed.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MigrationPhase>))]
public enum MigrationPhase
{
    Pending,
    Planned,
    PreparingDestination,
    PreparingSource,
    Ready,
    Suspending,
    TransferringState,
    Resuming,
    Completing,
    Succeeded,
    RollingBack,
    Failed,
}

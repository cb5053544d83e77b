namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// VMIM phases in the order KubeVirt's migration controller sets them (types.go, <c>VirtualMachineInstanceMigrationPhase</c>;
/// reference §1). The decentralized-migration phases (WaitingForSync, Synchronizing) are not used by the bridge.
/// </summary>
public static class VmimPhases
{
    public const string Pending = "Pending";
    public const string Scheduling = "Scheduling";
    public const string Scheduled = "Scheduled";
    public const string PreparingTarget = "PreparingTarget";
    public const string TargetReady = "TargetReady";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    /// <summary>The successful path, in order.</summary>
    public static IReadOnlyList<string> InOrder { get; } = [Pending, Scheduling, Scheduled, PreparingTarget, TargetReady, Running, Succeeded];

    public static bool IsFinal(string phase) => phase is Succeeded or Failed;
}

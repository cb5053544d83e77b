using NvmeLm.Operator.KubeVirt;

namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>How the simulated virt-controller behaves, and what stands in for the kubelet and device plugins.</summary>
public sealed class VirtControllerOptions
{
    public HostDeviceMigration HostDevices { get; init; } = HostDeviceMigration.Refuse;

    /// <summary>A phase at which every migration fails instead of entering it (e.g. Running: fails mid-way).</summary>
    public string? FailAtPhase { get; init; }

    /// <summary>
    /// A pod was scheduled (a VMI's first pod or a migration's target pod): stands in for the kubelet's device
    /// allocation on that node. Called before the migration leaves Scheduled.
    /// </summary>
    public Func<LauncherPod, CancellationToken, Task>? PodStarted { get; init; }

    /// <summary>A pod ended (the source pod after a migration, or the target pod of a failed one): its devices are free.</summary>
    public Func<LauncherPod, CancellationToken, Task>? PodStopped { get; init; }

    /// <summary>
    /// A migration leaves Running (to Succeeded) only once this says so: a real memory copy takes seconds, which is
    /// when the operator verifies the target pod's VF. Null: at the next pass.
    /// </summary>
    public Func<VirtualMachineInstanceMigration, CancellationToken, Task<bool>>? LeaveRunningWhen { get; init; }

    /// <summary>Pause between passes over the migrations (one phase per pass).</summary>
    public TimeSpan Pass { get; init; } = TimeSpan.FromMilliseconds(20);
}

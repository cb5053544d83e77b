using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.KubeVirt;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// A <c>stateTransfer: Vmm</c> window as its VirtualMachineInstanceMigration shows it (reference §1: Pending →
/// Scheduling → Scheduled → PreparingTarget → TargetReady → Running → Succeeded / Failed). KubeVirt and QEMU move the
/// VM and, through the VFIO migration uAPI of the destination's variant driver, the device state (reference §2); the
/// operator sees only the VMIM's phase, so that phase is what the transaction follows:
/// <list type="bullet">
/// <item>until Running, the source runs untouched and the target pod is being made: the window is open (Suspending);</item>
/// <item>Running: QEMU copies memory and, at its end, stops the VM and moves the device state (TransferringState);</item>
/// <item>Succeeded: the VM runs on the destination, the commit point (Completing, through Resuming in one write);</item>
/// <item>Failed: KubeVirt rolled the VM back onto the source (it kept running there), so the ends are rolled back.</item>
/// </list>
/// Each VMIM phase reached is one step of the timeline, named <see cref="StepName"/>, finished when the next is seen.
/// </summary>
/// <param name="TargetPodVerified">What <see cref="TargetPodAllocation"/> found when the target pod was verified in this
/// operator's passes and not yet written (step <c>VerifyTargetPod</c>); null otherwise.</param>
/// <param name="TargetPodFailure">The target pod did not get the prepared VF (or was not reported in time): fails the migration.</param>
internal sealed record VmimProgress(string VmimName, string Phase, string? TargetPodVerified = null, FailureCause? TargetPodFailure = null)
{
    /// <summary>Prefix of the timeline steps mirroring the VMIM's phases (<c>Vmim.Running</c>, ...).</summary>
    public const string StepPrefix = "Vmim.";

    /// <summary>KubeVirt moved the VM: the commit point is passed.</summary>
    public bool Committed => Phase == VmimPhases.Succeeded;

    public bool Failed => Phase == VmimPhases.Failed;

    /// <summary>The furthest transaction phase the VMIM's phase shows.</summary>
    public MigrationPhase Reached => Phase switch
    {
        VmimPhases.Succeeded => MigrationPhase.Completing,
        VmimPhases.Running => MigrationPhase.TransferringState,
        _ => MigrationPhase.Suspending,
    };

    public static string StepName(string vmimPhase) => StepPrefix + vmimPhase;

    /// <summary>
    /// Writes the VMIM's phases reached so far into the timeline: each one before the current finished (Succeeded), the
    /// current one running, or finished when it is Succeeded. Phases KubeVirt passed between two reads are recorded as
    /// passed when they were seen. Failed does not say in which phase: the step last seen running fails (or, when none
    /// was seen, a <c>Vmim.Failed</c> step records it).
    /// </summary>
    public void Record(V1Alpha1NvmeMigration.EntityStatus status, string node, DateTime now)
    {
        if (TargetPodFailure is { } wrongPod)
        {
            // The operator aborts the VMIM: the phase step it was in ends with it.
            var aborted = status.Steps?.LastOrDefault(s => s.Name.StartsWith(StepPrefix, StringComparison.Ordinal) && s.Result == StepResult.Running);
            if (aborted is not null)
            {
                MigrationSteps.Finish(status, aborted.Name, node, StepResult.Failed, now, $"aborted: {wrongPod.Reason}");
            }

            MigrationSteps.Finish(status, StepNames.VerifyTargetPod, node, StepResult.Failed, now, $"{wrongPod.Reason}: {wrongPod.Message}");
            return;
        }

        if (Failed)
        {
            var running = status.Steps?.LastOrDefault(s => s.Name.StartsWith(StepPrefix, StringComparison.Ordinal) && s.Result == StepResult.Running);
            MigrationSteps.Finish(status, running?.Name ?? StepName(VmimPhases.Failed), node, StepResult.Failed, now,
                $"VirtualMachineInstanceMigration {VmimName} failed; KubeVirt keeps the VM on its source.");
            return;
        }

        var index = VmimPhases.InOrder.ToList().IndexOf(Phase);
        for (var i = 0; i <= index; i++)
        {
            var name = StepName(VmimPhases.InOrder[i]);
            if (MigrationSteps.IsFinished(status, name))
            {
                continue;
            }

            if (i < index || Committed)
            {
                MigrationSteps.Finish(status, name, node, StepResult.Succeeded, now);
            }
            else
            {
                MigrationSteps.Start(status, name, node, now);
            }
        }

        // After the phases it was checked in (the timeline keeps the order steps are written in one pass).
        if (TargetPodVerified is not null && !MigrationSteps.IsFinished(status, StepNames.VerifyTargetPod))
        {
            MigrationSteps.Finish(status, StepNames.VerifyTargetPod, node, StepResult.Succeeded, now, TargetPodVerified);
        }
    }
}

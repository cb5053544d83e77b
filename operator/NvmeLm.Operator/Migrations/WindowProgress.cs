using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// What the two agents reported, so far, about the four hardware steps of a migration's critical section (DESIGN §4.1):
/// Suspend and SaveState on the source, RestoreState and Resume on the destination. The agents run them on their own
/// once requested; the operator only reads the results, after the fact. In <c>stateTransfer: Vmm</c> the agents run none
/// of them: <see cref="Vmm"/>, the VirtualMachineInstanceMigration's phase, tells instead.
/// </summary>
internal sealed record WindowProgress(
    ResolvedEndpoint Source,
    ResolvedEndpoint Destination,
    NodeOperationResult? Suspend,
    NodeOperationResult? SaveState,
    NodeOperationResult? RestoreState,
    NodeOperationResult? Resume,
    VmimProgress? Vmm = null)
{
    /// <summary>The destination resumed the controller: the commit point is passed, from here on only roll forward.</summary>
    public bool Committed => Vmm?.Committed ?? Succeeded(Resume);

    /// <summary>The source's state can never reach the destination: Suspend or SaveState failed (each runs at most once).</summary>
    public bool StateNeverSaved => Failed(Suspend) || Failed(SaveState);

    /// <summary>The first step that failed, as the migration's failure; null while none did.</summary>
    public FailureCause? Failure =>
        Vmm?.TargetPodFailure is { } wrongPod ? wrongPod
        : Vmm is { Failed: true } ? new FailureCause(FailureReasons.VmimFailed,
            $"VirtualMachineInstanceMigration {Vmm.VmimName} failed; KubeVirt keeps the VM on {Source.Node}.")
        : Failed(Suspend) ? OperationRequests.FailureOf(NodeOperationType.Suspend, Source, Suspend!)
        : Failed(SaveState) ? OperationRequests.FailureOf(NodeOperationType.SaveState, Source, SaveState!)
        : Failed(RestoreState) ? OperationRequests.FailureOf(NodeOperationType.RestoreState, Destination, RestoreState!)
        : Failed(Resume) ? OperationRequests.FailureOf(NodeOperationType.Resume, Destination, Resume!)
        : null;

    /// <summary>The furthest phase the results show: Completing once resumed, Resuming once restored, TransferringState once suspended.</summary>
    public MigrationPhase Reached =>
        Vmm is not null ? Vmm.Reached
        : Committed ? MigrationPhase.Completing
        : Succeeded(RestoreState) ? MigrationPhase.Resuming
        : Succeeded(Suspend) ? MigrationPhase.TransferringState
        : MigrationPhase.Suspending;

    /// <summary>
    /// Writes what is known into the timeline: each finished step with its agent's times, the first unfinished one as
    /// running, and the device downtime as far as it is known (the controller stopped; resumed on the destination).
    /// </summary>
    public void Record(V1Alpha1NvmeMigration.EntityStatus status, DateTime now)
    {
        if (Vmm is not null)
        {
            Vmm.Record(status, Destination.Node, now);
            return;
        }

        (string Name, string Node, NodeOperationResult? Result)[] steps =
        [
            (StepNames.Suspend, Source.Node, Suspend),
            (StepNames.SaveState, Source.Node, SaveState),
            (StepNames.RestoreState, Destination.Node, RestoreState),
            (StepNames.Resume, Destination.Node, Resume),
        ];
        foreach (var (name, node, result) in steps)
        {
            if (MigrationSteps.IsFinished(status, name))
            {
                continue;
            }

            if (result?.State is OperationState.Succeeded or OperationState.Failed)
            {
                if (result.State == OperationState.Failed)
                {
                    // The first failure, as the migration's failure reason and message.
                    MigrationSteps.FinishFromAgent(status, name, node, result, now, $"{Failure!.Reason}: {Failure.Message}");
                    break;
                }

                MigrationSteps.FinishFromAgent(status, name, node, result, now, name == StepNames.SaveState ? SaveMessage() : null);

                continue;
            }

            MigrationSteps.Start(status, name, node, now);
            break;
        }

        if (Succeeded(SaveState))
        {
            status.StateSizeBytes = SaveState!.StateSizeBytes;
            status.StateSha256 = SaveState.StateSha256;
        }

        if (Succeeded(Suspend))
        {
            status.Downtime ??= new DeviceDowntime();
            status.Downtime.SuspendedAt ??= Suspend!.StartedAt;
        }

        if (Committed)
        {
            DowntimeRecord.Resumed(status, Resume!, Destination.Node, now);
        }
    }

    private string SaveMessage() => $"{SaveState!.StateSizeBytes} bytes, sha256 {SaveState.StateSha256}";

    private static bool Succeeded(NodeOperationResult? result) => result?.State == OperationState.Succeeded;

    private static bool Failed(NodeOperationResult? result) => result?.State == OperationState.Failed;
}

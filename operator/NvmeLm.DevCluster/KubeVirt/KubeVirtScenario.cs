namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>One half of the <c>--kubevirt</c> demo: which KubeVirt it stands for, and what happened.</summary>
public sealed record KubeVirtScenario
{
    /// <summary>Which world this is (today's KubeVirt, or a hypothetical one that migrates VFIO devices).</summary>
    public required string Label { get; init; }

    public required string Vmi { get; init; }

    public required string Migration { get; init; }

    public required string Phase { get; init; }

    public string? FailureReason { get; init; }

    /// <summary>The migration's timeline: "step node result: message" per step.</summary>
    public required IReadOnlyList<string> Steps { get; init; }

    /// <summary>Writes the operator made to NvmeNodes and VMIMs while this migration ran.</summary>
    public required int OperatorWrites { get; init; }

    /// <summary>Where the VMI runs at the end.</summary>
    public string? VmiNode { get; init; }

    /// <summary>The VF the VMI's pod holds at the end (as its node's agent reports it), and the VF the migration prepared.</summary>
    public string? VmiPodVf { get; init; }

    public string? PreparedVf { get; init; }

    /// <summary>The VF the VMI had on the source, and whether it is back in its pool (role Pool, allocated to no pod).</summary>
    public string? SourceVf { get; init; }

    public bool SourceVfBackInPool { get; init; }
}

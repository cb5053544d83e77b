namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>The <c>--kubevirt</c> demo's machine-readable report (<c>--json</c>).</summary>
public sealed record KubeVirtDemoReport
{
    public required bool Passed { get; init; }

    public required IReadOnlyList<string> Problems { get; init; }

    public required IReadOnlyList<KubeVirtScenario> Scenarios { get; init; }
}

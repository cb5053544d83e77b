using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>What the <c>--kubevirt</c> demo must show; each miss is one problem (the demo then exits 1).</summary>
public static class KubeVirtDemoCheck
{
    /// <summary>The operator's failure reason for a VMI KubeVirt marks LiveMigratable=False (its API; the constant is internal).</summary>
    public const string VmiNotLiveMigratable = "VmiNotLiveMigratable";

    /// <summary>The operator's timeline step that verified the target pod's VF before the commit.</summary>
    public const string VerifyTargetPod = "VerifyTargetPod";

    public static List<string> Problems(KubeVirtScenario refused, KubeVirtScenario migrated, string destinationNode)
    {
        var problems = new List<string>();
        if (refused.Phase != nameof(MigrationPhase.Failed) || refused.FailureReason != VmiNotLiveMigratable)
        {
            problems.Add($"[{refused.Label}] ended {refused.Phase} ({refused.FailureReason}), expected Failed ({VmiNotLiveMigratable})");
        }

        if (refused.OperatorWrites != 0)
        {
            problems.Add($"[{refused.Label}] the operator wrote {refused.OperatorWrites} time(s) to NvmeNodes/VMIMs, expected none");
        }

        if (migrated.Phase != nameof(MigrationPhase.Succeeded))
        {
            problems.Add($"[{migrated.Label}] ended {migrated.Phase} ({migrated.FailureReason}), expected Succeeded");
        }

        if (migrated.VmiNode != destinationNode || migrated.VmiPodVf is null || migrated.VmiPodVf != migrated.PreparedVf)
        {
            problems.Add($"[{migrated.Label}] VMI on {migrated.VmiNode} with VF {migrated.VmiPodVf}, expected {destinationNode} with the prepared VF {migrated.PreparedVf}");
        }

        if (!migrated.SourceVfBackInPool)
        {
            problems.Add($"[{migrated.Label}] source VF {migrated.SourceVf} is not back in its pool");
        }

        if (!migrated.Steps.Any(s => s.StartsWith(VerifyTargetPod + " ", StringComparison.Ordinal)))
        {
            problems.Add($"[{migrated.Label}] no {VerifyTargetPod} step before the commit");
        }

        return problems;
    }
}

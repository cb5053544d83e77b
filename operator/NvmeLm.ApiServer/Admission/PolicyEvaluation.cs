namespace NvmeLm.ApiServer.Admission;

/// <summary>What evaluating one policy for one binding gave: the failed validations and the audit annotations to publish.</summary>
public sealed record PolicyEvaluation(IReadOnlyList<PolicyDecision> Failures, IReadOnlyList<PolicyAuditAnnotation> Annotations)
{
    public static PolicyEvaluation Nothing { get; } = new([], []);
}

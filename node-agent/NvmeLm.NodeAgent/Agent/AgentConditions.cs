namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// The condition types and reasons the agent writes to <c>NvmeNode.status.conditions</c> (DESIGN §3). The operator
/// treats <see cref="Degraded"/> = True or a <c>lastSyncError</c> at the current generation as "applying the spec
/// failed", so Degraded is only ever True for a problem that exists now, never for one the agent already corrected.
/// </summary>
public static class AgentConditions
{
    /// <summary>True: the agent applied the current spec and the inventory is current.</summary>
    public const string Ready = "Ready";

    /// <summary>True: part of the spec could not be applied (bad input, hardware refusal or error); see lastSyncError.</summary>
    public const string Degraded = "Degraded";

    /// <summary>
    /// True: the hardware no longer matches a spec the agent had applied and re-applying it failed. False with reason
    /// <see cref="DriftCorrectedReason"/>: the last drift found was corrected (the message says when and how). Kept
    /// apart from <see cref="Degraded"/> so a corrected drift never reads as "the spec failed".
    /// </summary>
    public const string Drifted = "Drifted";

    public const string SpecAppliedReason = "SpecApplied";
    public const string SpecFailedReason = "SpecFailed";
    public const string InvalidSpecReason = "InvalidSpec";
    public const string NoProblemsReason = "AsExpected";

    /// <summary>Event and condition reason when the resync found the hardware changed behind the agent's back and re-applied the spec.</summary>
    public const string DriftCorrectedReason = "DriftCorrected";

    /// <summary>Condition reason when the hardware drifted from an applied spec and re-applying it failed.</summary>
    public const string DriftNotCorrectedReason = "DriftNotCorrected";
}

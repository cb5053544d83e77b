namespace NvmeLm.Operator.Migrations;

/// <summary>Names of the entries of <c>status.steps</c> (the timeline <c>kubectl describe</c> and the demo show).</summary>
internal static class StepNames
{
    public const string ReserveDestination = "ReserveDestination";
    public const string AllowMigrate = "AllowMigrate";
    public const string Suspend = "Suspend";
    public const string SaveState = "SaveState";
    public const string RestoreState = "RestoreState";
    public const string Resume = "Resume";
    /// <summary>Vmm: KubeVirt's target pod was allocated the prepared destination VF (checked before the commit).</summary>
    public const string VerifyTargetPod = "VerifyTargetPod";
    public const string ReleaseSource = "ReleaseSource";
    public const string ReleaseDestination = "ReleaseDestination";
    public const string RollbackDisarmDestination = "RollbackDisarmDestination";
    public const string RollbackResumeSource = "RollbackResumeSource";
    public const string RollbackReleaseSource = "RollbackReleaseSource";
    public const string RollbackReleaseDestination = "RollbackReleaseDestination";
}

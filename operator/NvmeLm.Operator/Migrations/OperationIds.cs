using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Deterministic ids of the operations a migration requests (<c>&lt;migration uid&gt;-&lt;step&gt;</c>), so a
/// repeated request after a restart or a leader change names the same operation and the agent, which runs
/// each id at most once, treats it as a no-op. A full UID (36 characters) plus the longest suffix stays
/// within the 63-character DNS label the CRD requires.
/// </summary>
internal static class OperationIds
{
    public const string Suspend = "suspend";
    public const string SaveState = "save-state";
    public const string RestoreState = "restore-state";
    public const string Resume = "resume";
    public const string RollbackResume = "rollback-resume";

    public static string For(string migrationUid, string step) => $"{migrationUid}-{step}";
}

namespace NvmeLm.Operator.Migrations;

/// <summary>CamelCase reasons of a failed migration (<c>status.failureReason</c> and the Ready condition).</summary>
internal static class FailureReasons
{
    public const string SourceNodeNotFound = "SourceNodeNotFound";
    public const string DestinationNodeNotFound = "DestinationNodeNotFound";
    public const string SameNode = "SameNode";
    public const string UnsupportedStateTransfer = "UnsupportedStateTransfer";
    public const string KubeVirtNotInstalled = "KubeVirtNotInstalled";
    public const string VmiNotLiveMigratable = "VmiNotLiveMigratable";
    public const string VmiNotOnSourceNode = "VmiNotOnSourceNode";
    public const string VmiHasNoPoolVf = "VmiHasNoPoolVf";
    public const string VmiVfAmbiguous = "VmiVfAmbiguous";
    public const string VmiNeedsVmmStateTransfer = "VmiNeedsVmmStateTransfer";
    public const string VmmNeedsVmi = "VmmNeedsVmi";
    public const string VmimFailed = "VmimFailed";
    public const string VmimGone = "VmimGone";

    /// <summary>Vmm: the VF prepared on the destination went to another pod, or KubeVirt's target pod got another VF.</summary>
    public const string TargetPodGotOtherVf = "TargetPodGotOtherVf";

    /// <summary>Vmm: the destination's agent did not report the target pod's allocation within the configured time.</summary>
    public const string TargetPodAllocationUnknown = "TargetPodAllocationUnknown";
    public const string SourceVfNotFound = "SourceVfNotFound";
    public const string SourceVfNotMigratable = "SourceVfNotMigratable";
    public const string SourceNotManaged = "SourceNotManaged";
    public const string SourceVfBusy = "SourceVfBusy";
    public const string NoCapablePf = "NoCapablePf";
    public const string NoFreeDestinationVf = "NoFreeDestinationVf";
    public const string DestinationPrepareFailed = "DestinationPrepareFailed";
    public const string SourcePrepareFailed = "SourcePrepareFailed";
    public const string SuspendFailed = "SuspendFailed";
    public const string SaveStateFailed = "SaveStateFailed";
    public const string StateSecretConflict = "StateSecretConflict";
    public const string RestoreStateFailed = "RestoreStateFailed";
    public const string ResumeFailed = "ResumeFailed";
    public const string DestinationInUse = "DestinationInUse";
    public const string Timeout = "Timeout";
    public const string Deleted = "Deleted";
    public const string NodeGone = "NodeGone";
    public const string SourceResumeFailed = "SourceResumeFailed";
    public const string RollbackIncomplete = "RollbackIncomplete";

    /// <summary>
    /// Failures after which the source VF stays locked to the migration (and the finalizer stays) because its
    /// controller may still be suspended with the VM's state in it: releasing it would make the agent reset it.
    /// Deleting the migration releases it (an explicit decision by the user).
    /// </summary>
    public static bool KeepsSourceLocked(string? reason) => reason is SourceResumeFailed or RollbackIncomplete;
}

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// What disarming the destination established (<see cref="IStateTransfer.DisarmAsync"/>), with the window's results as
/// they were then.
/// </summary>
internal sealed record CommitCheck(CommitState State, WindowProgress Progress);

/// <summary>Whether the destination passed the commit point.</summary>
internal enum CommitState
{
    /// <summary>The destination has not confirmed yet that it let go; nothing may be decided.</summary>
    Unknown,

    /// <summary>The destination resumed: the migration is committed and rolls forward.</summary>
    Committed,

    /// <summary>The destination did not resume and never will: the source may be resumed.</summary>
    NotCommitted,
}

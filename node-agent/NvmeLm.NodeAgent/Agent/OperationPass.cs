namespace NvmeLm.NodeAgent.Agent;

/// <summary>Which operations one call of <see cref="OperationExecutor.RunAsync"/> may run.</summary>
public enum OperationPass
{
    /// <summary>
    /// Before the spec is applied: only the steps of a migration's critical section (Suspend, SaveState, RestoreState,
    /// Resume) on a VF that both the spec and the host journal already lock to the operation's owner, so they depend on
    /// nothing this sync's apply could change. Work for a suspended controller thus outranks preparation work.
    /// </summary>
    Window,

    /// <summary>After the spec is applied: every operation.</summary>
    Full,
}

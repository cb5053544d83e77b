namespace NvmeLm.NodeAgent.Output;

/// <summary>
/// <c>--json</c> output of every command except inventory. <see cref="Changed"/> is true when any host write
/// was made (always false with <see cref="DryRun"/>); <see cref="Steps"/> lists each step's exact host actions.
/// </summary>
public sealed record CommandView
{
    public required string Command { get; init; }
    public required string Pf { get; init; }
    public bool DryRun { get; init; }
    public bool Changed { get; init; }
    public required IReadOnlyList<StepView> Steps { get; init; }
    public IReadOnlyList<SecondaryControllerView>? Secondaries { get; init; }
    public IReadOnlyList<BindView>? Bindings { get; init; }
    public StateFileView? State { get; init; }
}

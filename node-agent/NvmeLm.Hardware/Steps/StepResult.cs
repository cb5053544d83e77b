using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// What a step did (Apply mode) or would do (Plan mode): the exact host actions in order, plus notes for
/// facts worth reporting that are not writes (e.g. "already bound", "no VFIO migration support").
/// An empty <see cref="Actions"/> list means the hardware already was as requested.
/// </summary>
public record StepResult(string Step, PciAddress Pf, bool DryRun, IReadOnlyList<HostAction> Actions, IReadOnlyList<string> Notes)
{
    /// <summary>True when host writes were performed (never in Plan mode).</summary>
    public bool Changed => !DryRun && Actions.Any(a => a is not NvmeAdminAction { ChangesHost: false });
}

using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>The controller state read from a suspended secondary (null in Plan mode) with its size and SHA-256.</summary>
public sealed record SaveStateResult(PciAddress Pf, bool DryRun, IReadOnlyList<HostAction> Actions, IReadOnlyList<string> Notes, int Scid, ControllerStateBlob? State)
    : StepResult(SaveStateStep.Name, Pf, DryRun, Actions, Notes);

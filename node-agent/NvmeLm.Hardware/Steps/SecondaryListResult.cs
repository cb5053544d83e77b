using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>The verified SCID ↔ VF mapping of one PF (a read: no actions).</summary>
public sealed record SecondaryListResult(PciAddress Pf, IReadOnlyList<SecondaryMapping> Secondaries, IReadOnlyList<string> Notes)
    : StepResult(ListSecondariesStep.Name, Pf, DryRun: false, Array.Empty<HostAction>(), Notes)
{
    public SecondaryMapping? Find(int scid) => Secondaries.FirstOrDefault(s => s.Scid == scid);
}

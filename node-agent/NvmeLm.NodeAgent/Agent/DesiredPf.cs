using NvmeLm.Hardware;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// One PF of <c>NvmeNode.spec</c>, validated: the VF count, the flexible resources every VF gets (the hardware
/// step assigns one NVQ/NVI to all VFs of a PF), and the secondaries the spec names, keyed by VF number.
/// </summary>
public sealed record DesiredPf(PciAddress Pf, int NumVfs, int QueuesPerVf, int InterruptsPerVf, IReadOnlyDictionary<int, DesiredSecondary> Secondaries)
{
    public DesiredSecondary? Secondary(int vfNumber) => Secondaries.GetValueOrDefault(vfNumber);
}

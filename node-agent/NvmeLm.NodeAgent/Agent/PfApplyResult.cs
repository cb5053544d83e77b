using NvmeLm.Hardware;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// What applying one PF's spec did: the host writes performed (as the steps describe them), and the error that
/// stopped it, if any. Writes on a spec the agent had already applied mean the hardware drifted.
/// </summary>
public sealed record PfApplyResult(PciAddress Pf, IReadOnlyList<string> Writes, string? Error)
{
    public bool Succeeded => Error is null;
}

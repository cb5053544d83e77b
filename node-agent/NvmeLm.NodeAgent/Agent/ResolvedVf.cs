using NvmeLm.Hardware;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>The PF and secondary controller (SCID) behind an operation's VF address.</summary>
public readonly record struct ResolvedVf(PciAddress Pf, int Scid);

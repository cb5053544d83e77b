namespace NvmeLm.NodeAgent.Output;

/// <summary>The OACS bits the agent depends on, decoded (reference §3: bit 7 VMS, bit 11 HMLMS).</summary>
public sealed record OacsBitsView(bool VirtualizationManagement, bool HostManagedLiveMigration);

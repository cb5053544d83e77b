namespace NvmeLm.NodeAgent.Output;

/// <summary><c>inventory --json</c>: every NVMe SR-IOV PF on the host.</summary>
public sealed record InventoryView(string Hardware, IReadOnlyList<PfInventoryView> PhysicalFunctions);

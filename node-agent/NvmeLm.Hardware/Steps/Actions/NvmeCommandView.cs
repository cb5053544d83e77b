namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>The fields of one 64-byte submission entry as sent (CID and data pointer are the kernel's).</summary>
public sealed record NvmeCommandView(string Name, byte Opcode, uint Nsid, uint Cdw10, uint Cdw11, uint Cdw12, uint Cdw13, uint Cdw14, uint Cdw15, int DataLength);

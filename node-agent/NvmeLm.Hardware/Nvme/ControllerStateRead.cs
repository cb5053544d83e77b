namespace NvmeLm.Hardware.Nvme;

/// <summary>Controller State bytes read with Migration Receive, and the CSUP bit of the last completion.</summary>
public sealed record ControllerStateRead(byte[] Data, bool ControllerSuspended);

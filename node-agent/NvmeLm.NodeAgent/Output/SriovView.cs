namespace NvmeLm.NodeAgent.Output;

/// <summary>The PF's SR-IOV sysfs attributes (reference §1), raw values.</summary>
public sealed record SriovView(int TotalVfs, int NumVfs, int Offset, int Stride, int VfDeviceId, bool DriversAutoprobe);

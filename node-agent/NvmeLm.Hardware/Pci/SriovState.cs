namespace NvmeLm.Hardware.Pci;

/// <summary>The SR-IOV attributes of a PF (reference §1: sriov_totalvfs/numvfs/offset/stride/vf_device/drivers_autoprobe).</summary>
public sealed record SriovState(int TotalVfs, int NumVfs, int Offset, int Stride, ushort VfDeviceId, bool DriversAutoprobe);

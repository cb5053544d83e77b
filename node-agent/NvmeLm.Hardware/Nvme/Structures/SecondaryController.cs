namespace NvmeLm.Hardware.Nvme.Structures;

/// <summary>
/// One Secondary Controller Entry of Identify CNS 0x15 (reference §3): SCID, its primary, online state,
/// the VF number (1-based per QEMU: VF index + 1; verify against <c>virtfnN</c>, don't assume), and the
/// VQ/VI flexible resources assigned.
/// </summary>
public sealed record SecondaryController(ushort ControllerId, ushort PrimaryControllerId, bool Online, ushort VirtualFunctionNumber, ushort QueueResources, ushort InterruptResources);

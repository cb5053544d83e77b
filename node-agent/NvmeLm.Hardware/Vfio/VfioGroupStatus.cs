using System.Runtime.InteropServices;

namespace NvmeLm.Hardware.Vfio;

/// <summary><c>struct vfio_group_status { __u32 argsz; __u32 flags; }</c>, 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioGroupStatus
{
    public const int SizeOf = 8;

    public uint Argsz;   // __u32 argsz
    public uint Flags;   // __u32 flags: VFIO_GROUP_FLAGS_VIABLE, VFIO_GROUP_FLAGS_CONTAINER_SET
}

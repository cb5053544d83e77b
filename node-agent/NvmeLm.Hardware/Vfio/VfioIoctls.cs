namespace NvmeLm.Hardware.Vfio;

/// <summary>
/// VFIO ioctl numbers from include/uapi/linux/vfio.h (reference §5): all are <c>_IO(VFIO_TYPE, VFIO_BASE + n)</c>
/// with <c>VFIO_TYPE = ';'</c> and <c>VFIO_BASE = 100</c>; <c>_IO</c> has no direction or size bits.
/// </summary>
internal static class VfioIoctls
{
    public const int VfioType = ';';
    public const int VfioBase = 100;

    public const int GetApiVersionIndex = 0;
    public const int SetIommuIndex = 2;
    public const int GroupGetStatusIndex = 3;
    public const int GroupSetContainerIndex = 4;
    public const int GroupGetDeviceFdIndex = 6;
    public const int DeviceFeatureIndex = 17;

    public static readonly uint GetApiVersion = Io(GetApiVersionIndex);
    public static readonly uint SetIommu = Io(SetIommuIndex);
    public static readonly uint GroupGetStatus = Io(GroupGetStatusIndex);
    public static readonly uint GroupSetContainer = Io(GroupSetContainerIndex);
    public static readonly uint GroupGetDeviceFd = Io(GroupGetDeviceFdIndex);
    /// <summary>0x3B75, reference §5.</summary>
    public static readonly uint DeviceFeature = Io(DeviceFeatureIndex);

    /// <summary><c>VFIO_API_VERSION</c>, what VFIO_GET_API_VERSION returns.</summary>
    public const int ApiVersion = 0;
    /// <summary><c>VFIO_TYPE1v2_IOMMU</c>, passed by value to VFIO_SET_IOMMU.</summary>
    public const int Type1v2Iommu = 3;
    /// <summary><c>VFIO_GROUP_FLAGS_VIABLE</c>: every device of the group is bound to a VFIO driver.</summary>
    public const uint GroupFlagsViable = 1 << 0;

    /// <summary>Linux <c>_IO(type, nr)</c> = type &lt;&lt; 8 | nr (asm-generic/ioctl.h; dir and size are 0).</summary>
    public static uint Io(int index) => (uint)((VfioType << 8) | (VfioBase + index));
}

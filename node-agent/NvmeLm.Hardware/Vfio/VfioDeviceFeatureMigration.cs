using System.Runtime.InteropServices;

namespace NvmeLm.Hardware.Vfio;

/// <summary>
/// <c>struct vfio_device_feature</c> (argsz, flags) followed by the payload of feature 1,
/// <c>struct vfio_device_feature_migration { __aligned_u64 flags; }</c> (reference §5): 16 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioDeviceFeatureMigration
{
    public const int SizeOf = 16;
    public const int ArgszOffset = 0;
    public const int FlagsOffset = 4;
    public const int MigrationFlagsOffset = 8;

    /// <summary>Feature index in flags bits 15:0: <c>VFIO_DEVICE_FEATURE_MIGRATION</c>.</summary>
    public const uint FeatureMigration = 1;
    public const uint FeatureMask = 0xFFFF;
    public const uint FeatureGet = 1u << 16;
    public const uint FeatureSet = 1u << 17;
    public const uint FeatureProbe = 1u << 18;

    public uint Argsz;            // __u32 argsz
    public uint Flags;            // __u32 flags: feature index | GET/SET/PROBE
    public ulong MigrationFlags;  // __aligned_u64 flags of vfio_device_feature_migration

    public static VfioDeviceFeatureMigration Create(uint operation) => new()
    {
        Argsz = SizeOf,
        Flags = FeatureMigration | operation,
    };
}

namespace NvmeLm.NodeAgent.Output;

/// <summary>A VF bound to its VFIO driver and what the driver reports about VFIO migration (reference §5).</summary>
public sealed record BindView(
    int Scid,
    string Vf,
    string Driver,
    int? IommuGroup,
    string? VfioGroup,
    string MigrationSupport,
    IReadOnlyList<string>? MigrationFlags,
    long? MigrationFlagsRaw);

namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>
/// Serializable form of a <see cref="HostAction"/>. <see cref="Kind"/> is <c>sysfs-write</c> (with <see cref="Writes"/>) or <c>nvme-admin</c> (with <see cref="Device"/>,
/// <see cref="Command"/> and one <see cref="Commands"/> entry per submission, e.g. per state chunk).
/// </summary>
public sealed record HostActionView
{
    public const string SysfsWriteKind = "sysfs-write";
    public const string NvmeAdminKind = "nvme-admin";

    public required string Kind { get; init; }
    public required string Description { get; init; }
    public string? Path { get; init; }
    public string? Value { get; init; }
    /// <summary>All writes of a sysfs action (a driver bind is several); <see cref="Path"/>/<see cref="Value"/> repeat the first.</summary>
    public IReadOnlyList<SysfsWriteView>? Writes { get; init; }
    public string? Device { get; init; }
    public string? Command { get; init; }
    public IReadOnlyList<NvmeCommandView>? Commands { get; init; }
}

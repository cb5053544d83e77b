namespace NvmeLm.NodeAgent.Output;

/// <summary>
/// One NVMe SR-IOV PF in <c>inventory --json</c>. NVMe fields are null when the PF has no controller device
/// (not bound to <c>nvme</c>) or a command failed; <see cref="Error"/> then says why.
/// </summary>
public sealed record PfInventoryView
{
    public required string Address { get; init; }
    public int VendorId { get; init; }
    public int DeviceId { get; init; }
    public long ClassCode { get; init; }
    public string? Driver { get; init; }
    public int? IommuGroup { get; init; }
    public string? ControllerDevice { get; init; }
    public required SriovView Sriov { get; init; }
    public IdCtrlView? IdCtrl { get; init; }
    public OacsBitsView? OacsBits { get; init; }
    public PrimaryCtrlCapsView? PrimaryCtrlCaps { get; init; }
    public IReadOnlyList<SecondaryControllerView>? SecondaryControllers { get; init; }
    /// <summary>Identify CNS 0x20 versions; only read when the primary has HMLMS.</summary>
    public IReadOnlyList<int>? StateFormatVersions { get; init; }
    /// <summary>Owner recorded in the agent's journal for this PF, if any.</summary>
    public string? JournalOwner { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    public string? Error { get; init; }
}

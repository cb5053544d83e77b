using static NvmeLm.Hardware.Nvme.VirtualizationManagementFields;

namespace NvmeLm.Hardware.Nvme.Commands;

/// <summary>
/// Virtualization Management (admin 0x1C), reference §3 (libnvme <c>nvme_init_virtual_mgmt</c>):
/// CDW10 = ACT (3:0) | RT (10:8) | CNTLID (31:16); CDW11 = NR (15:0). The completion DW0 is NRM,
/// the number of resources allocated. No data buffer.
/// </summary>
public readonly record struct VirtualizationManagementCommand(byte Action, byte ResourceType, ushort ControllerId, ushort ResourceCount)
{
    public static VirtualizationManagementCommand PrimaryFlexibleAllocation(byte resourceType, ushort primaryControllerId, ushort count) =>
        new(ActPrimaryFlexibleAllocation, resourceType, primaryControllerId, count);

    public static VirtualizationManagementCommand SecondaryAssign(byte resourceType, ushort secondaryControllerId, ushort count) =>
        new(ActSecondaryAssign, resourceType, secondaryControllerId, count);

    public static VirtualizationManagementCommand SecondaryOnline(ushort secondaryControllerId) =>
        new(ActSecondaryOnline, ResourceVq, secondaryControllerId, 0);

    public static VirtualizationManagementCommand SecondaryOffline(ushort secondaryControllerId) =>
        new(ActSecondaryOffline, ResourceVq, secondaryControllerId, 0);

    public string Name => $"Virtualization Management ({ActionName(Action)}, RT {ResourceTypeName(ResourceType)}, CNTLID {ControllerId}, NR {ResourceCount})";

    public NvmeSubmissionEntry ToEntry()
    {
        if (Action > ActionMask || ResourceType > ResourceTypeMask)
        {
            throw new ArgumentOutOfRangeException(nameof(Action), $"ACT {Action} or RT {ResourceType} does not fit its field (ACT 4 bits, RT 3 bits).");
        }

        return new NvmeSubmissionEntry(
            NvmeAdminOpcode.VirtualizationManagement,
            Cdw10: Action | ((uint)ResourceType << ResourceTypeShift) | ((uint)ControllerId << ControllerIdShift),
            Cdw11: ResourceCount);
    }

    public byte[] Encode() => ToEntry().Encode();

    public static VirtualizationManagementCommand Decode(ReadOnlySpan<byte> entry)
    {
        var sqe = NvmeSubmissionEntry.DecodeExpecting(entry, NvmeAdminOpcode.VirtualizationManagement, "Virtualization Management");
        return new VirtualizationManagementCommand(
            (byte)(sqe.Cdw10 & ActionMask),
            (byte)((sqe.Cdw10 >> ResourceTypeShift) & ResourceTypeMask),
            (ushort)(sqe.Cdw10 >> ControllerIdShift),
            (ushort)(sqe.Cdw11 & 0xFFFF));
    }

    public static string ActionName(byte action) => action switch
    {
        ActPrimaryFlexibleAllocation => "Primary Flexible Allocation",
        ActSecondaryOffline => "Secondary Offline",
        ActSecondaryAssign => "Secondary Assign",
        ActSecondaryOnline => "Secondary Online",
        _ => $"ACT {action}",
    };

    public static string ResourceTypeName(byte resourceType) => resourceType switch
    {
        ResourceVq => "VQ",
        ResourceVi => "VI",
        _ => resourceType.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

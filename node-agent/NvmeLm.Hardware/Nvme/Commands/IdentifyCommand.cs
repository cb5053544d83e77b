namespace NvmeLm.Hardware.Nvme.Commands;

/// <summary>
/// Identify (admin 0x06), reference §3: CDW10 = CNS (7:0) | CNTID (31:16); 4096-byte data buffer.
/// For CNS 0x15 CNTID means "controllers with ID ≥ CNTID"; libnvme passes it for CNS 0x14 too.
/// </summary>
public readonly record struct IdentifyCommand(byte Cns, ushort ControllerId = 0)
{
    public static IdentifyCommand Controller() => new(IdentifyCns.Controller);
    public static IdentifyCommand PrimaryControllerCapabilities(ushort controllerId = 0) => new(IdentifyCns.PrimaryControllerCapabilities, controllerId);
    public static IdentifyCommand SecondaryControllerList(ushort firstControllerId = 0) => new(IdentifyCns.SecondaryControllerList, firstControllerId);
    public static IdentifyCommand SupportedControllerStateFormats() => new(IdentifyCns.SupportedControllerStateFormats);

    /// <summary>The data buffer length the command transfers.</summary>
    public int DataLength => IdentifyLayout.DataSize;

    public string Name => $"Identify (CNS 0x{Cns:x2}, CNTID {ControllerId})";

    public NvmeSubmissionEntry ToEntry() => new(
        NvmeAdminOpcode.Identify,
        Cdw10: (uint)(Cns & IdentifyFields.CnsMask) | ((uint)ControllerId << IdentifyFields.ControllerIdShift));

    public byte[] Encode() => ToEntry().Encode();

    public static IdentifyCommand Decode(ReadOnlySpan<byte> entry)
    {
        var sqe = NvmeSubmissionEntry.DecodeExpecting(entry, NvmeAdminOpcode.Identify, "Identify");
        return new IdentifyCommand((byte)(sqe.Cdw10 & IdentifyFields.CnsMask), (ushort)(sqe.Cdw10 >> IdentifyFields.ControllerIdShift));
    }
}

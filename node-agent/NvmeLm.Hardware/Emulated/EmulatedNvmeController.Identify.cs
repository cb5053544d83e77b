using System.Buffers.Binary;
using System.Text;
using NvmeLm.Hardware.Nvme;
using P = NvmeLm.Hardware.Nvme.PrimaryControllerCapabilitiesLayout;
using S = NvmeLm.Hardware.Nvme.SecondaryControllerListLayout;

namespace NvmeLm.Hardware.Emulated;

// Identify (0x06): CNS 0x01, 0x14, 0x15 (reference §3) and 0x20 (reference §4b), one 4 KiB page each.
internal sealed partial class EmulatedNvmeController
{
    /// <summary>VER for NVMe 2.1: major in bits 31:16, minor 15:8, tertiary 7:0 (libnvme NVME_VS_*).</summary>
    private const uint Version21 = 0x00020100;
    private const byte ControllerTypeIo = 1;

    private NvmeRawCompletion Identify(Command command, Span<byte> data)
    {
        var pf = _primary!;
        byte cns = (byte)(command.Cdw10 & IdentifyFields.CnsMask);
        ushort cntid = command.ControllerIdInCdw10;
        var page = new byte[IdentifyLayout.DataSize];
        var completion = IdentifyInto(page, pf, cns, cntid);
        if (completion.IsSuccess)
        {
            CopyPage(page, data);
        }

        return completion;
    }

    private static NvmeRawCompletion IdentifyInto(byte[] page, EmulatedPhysicalFunction pf, byte cns, ushort cntid)
    {
        switch (cns)
        {
            case IdentifyCns.Controller:
                ushort oacs = 0;
                oacs |= pf.Config.TotalVfs > 0 && pf.Config.OacsVirtualizationManagementBit ? IdentifyControllerLayout.OacsVirtualizationManagement : (ushort)0;
                oacs |= pf.Config.LiveMigration ? IdentifyControllerLayout.OacsHostManagedLiveMigration : (ushort)0;
                WriteIdentifyController(page, pf.Config, (ushort)pf.Config.PrimaryControllerId, oacs, cmic: 0, pf.Config.Serial);
                return Success(0);
            case IdentifyCns.PrimaryControllerCapabilities when pf.Config.TotalVfs > 0:
                WritePrimaryCapabilities(page, pf);
                return Success(0);
            case IdentifyCns.SecondaryControllerList when pf.Config.TotalVfs > 0:
                WriteSecondaryList(page, pf, cntid);
                return Success(0);
            case IdentifyCns.SupportedControllerStateFormats when pf.Config.LiveMigration:
                WriteStateFormats(page, pf.Config.StateFormatVersions);
                return Success(0);
            default:
                return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }
    }

    private static void WriteIdentifyController(Span<byte> page, EmulatedPfConfig config, ushort cntlid, ushort oacs, byte cmic, string serial)
    {
        L16(page, IdentifyControllerLayout.Vid, config.VendorId);
        L16(page, IdentifyControllerLayout.Ssvid, config.VendorId);
        Ascii(page, IdentifyControllerLayout.SerialNumber, IdentifyControllerLayout.SerialNumberLength, serial);
        Ascii(page, IdentifyControllerLayout.ModelNumber, IdentifyControllerLayout.ModelNumberLength, config.Model);
        Ascii(page, IdentifyControllerLayout.FirmwareRevision, IdentifyControllerLayout.FirmwareRevisionLength, config.Firmware);
        page[IdentifyControllerLayout.Cmic] = cmic;
        L16(page, IdentifyControllerLayout.Cntlid, cntlid);
        BinaryPrimitives.WriteUInt32LittleEndian(page[IdentifyControllerLayout.Version..], Version21);
        page[IdentifyControllerLayout.ControllerType] = ControllerTypeIo;
        L16(page, IdentifyControllerLayout.Oacs, oacs);
    }

    private static void WritePrimaryCapabilities(Span<byte> page, EmulatedPhysicalFunction pf)
    {
        var c = pf.Config;
        L16(page, P.Cntlid, c.PrimaryControllerId);
        page[P.Crt] = P.CrtVqSupported | P.CrtViSupported;
        BinaryPrimitives.WriteUInt32LittleEndian(page[P.Vqfrt..], (uint)c.VqFlexibleTotal);
        BinaryPrimitives.WriteUInt32LittleEndian(page[P.Vqrfa..], (uint)pf.AssignedVq());
        L16(page, P.Vqrfap, pf.PrimaryFlexibleVq);
        L16(page, P.Vqprt, c.PrimaryPrivateVq);
        L16(page, P.Vqfrsm, c.EffectiveMaxVqPerSecondary);
        L16(page, P.Vqgran, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(page[P.Vifrt..], (uint)c.ViFlexibleTotal);
        BinaryPrimitives.WriteUInt32LittleEndian(page[P.Virfa..], (uint)pf.AssignedVi());
        L16(page, P.Virfap, pf.PrimaryFlexibleVi);
        L16(page, P.Viprt, c.PrimaryPrivateVi);
        L16(page, P.Vifrsm, c.EffectiveMaxViPerSecondary);
        L16(page, P.Vigran, 1);
    }

    /// <summary>Entries with SCID ≥ CNTID, at most 127 per page (NVME_ID_SECONDARY_CTRL_MAX).</summary>
    private static void WriteSecondaryList(Span<byte> page, EmulatedPhysicalFunction pf, ushort firstId)
    {
        var entries = pf.Secondaries.Where(s => s.Scid >= firstId).Take(S.MaxEntries).ToArray();
        page[S.NumberOfIdentifiers] = (byte)entries.Length;
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = page.Slice(S.FirstEntry + (i * S.EntrySize), S.EntrySize);
            var s = entries[i];
            L16(entry, S.Scid, s.Scid);
            L16(entry, S.Pcid, pf.Config.PrimaryControllerId);
            entry[S.Scs] = s.Online ? S.ScsOnline : (byte)0;
            L16(entry, S.Vfn, s.Vfn);
            L16(entry, S.Nvq, s.Nvq);
            L16(entry, S.Nvi, s.Nvi);
        }
    }

    private static void WriteStateFormats(Span<byte> page, IReadOnlyList<int> versions)
    {
        page[ControllerStateFormatsLayout.NumberOfVersions] = (byte)versions.Count;
        page[ControllerStateFormatsLayout.NumberOfUuids] = 0;
        for (int i = 0; i < versions.Count; i++)
        {
            L16(page, ControllerStateFormatsLayout.FirstVersion + (i * ControllerStateFormatsLayout.VersionSize), versions[i]);
        }
    }

    /// <summary>The controller transfers one whole page; a shorter buffer receives its prefix (the transfer length rules).</summary>
    private static void CopyPage(ReadOnlySpan<byte> page, Span<byte> data)
    {
        int length = Math.Min(page.Length, data.Length);
        page[..length].CopyTo(data);
        data[length..].Clear();
    }

    private static void L16(Span<byte> buffer, int offset, int value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[offset..], (ushort)value);

    private static void Ascii(Span<byte> buffer, int offset, int length, string text)
    {
        var field = buffer.Slice(offset, length);
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, length)), field);
    }
}

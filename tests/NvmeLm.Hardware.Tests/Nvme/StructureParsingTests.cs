using System.Text;
using NvmeLm.Hardware.Nvme.Structures;

namespace NvmeLm.Hardware.Tests.Nvme;

/// <summary>Parsers against hand-built 4 KiB pages (offsets from reference §3/§4), and WriteTo→Parse round trips.</summary>
public class StructureParsingTests
{
    [Fact]
    public void IdentifyController_Parse_Should_ReadQemuLikePage()
    {
        var page = new byte[4096];
        page[0] = 0x36; page[1] = 0x1b;                          // @0   VID 0x1b36 (Red Hat / QEMU)
        page[2] = 0xf4; page[3] = 0x1a;                          // @2   SSVID 0x1af4
        Encoding.ASCII.GetBytes("deadbeef            ").CopyTo(page, 4);   // @4  SN, 20 bytes space padded
        Encoding.ASCII.GetBytes("QEMU NVMe Ctrl".PadRight(40)).CopyTo(page, 24); // @24 MN
        Encoding.ASCII.GetBytes("7.2.22  ").CopyTo(page, 64);  // @64  FR
        page[76] = 0x04;                                         // @76  CMIC bit2 (SR-IOV VF)
        page[78] = 0x05; page[79] = 0x00;                        // @78  CNTLID 5
        page[80] = 0x00; page[81] = 0x04; page[82] = 0x01;       // @80  VER 0x00010400
        page[111] = 0x01;                                        // @111 CNTRLTYPE I/O
        page[256] = 0x8a; page[257] = 0x09;                      // @256 OACS 0x098a: bits 1,3,7,8,11

        var id = IdentifyController.Parse(page);

        Assert.Equal(0x1b36, id.VendorId);
        Assert.Equal(0x1af4, id.SubsystemVendorId);
        Assert.Equal("deadbeef", id.SerialNumber);
        Assert.Equal("QEMU NVMe Ctrl", id.ModelNumber);
        Assert.Equal("7.2.22", id.FirmwareRevision);
        Assert.True(id.IsSriovVirtualFunction);
        Assert.Equal(5, id.ControllerId);
        Assert.Equal(0x00010400u, id.Version);
        Assert.Equal(1, id.ControllerType);
        Assert.Equal(0x098a, id.Oacs);
        Assert.True(id.SupportsVirtualizationManagement);
        Assert.True(id.SupportsHostManagedLiveMigration);
    }

    [Fact]
    public void IdentifyController_Should_ReportNoLiveMigration_When_OacsIsQemus()
    {
        var page = new byte[4096];
        page[256] = 0x0a; page[257] = 0x01;                      // @256 OACS 0x010a as measured in the QEMU 7.2 lab: bits 1, 3, 8 only
        var id = IdentifyController.Parse(page);
        Assert.False(id.SupportsHostManagedLiveMigration);
        Assert.False(id.SupportsVirtualizationManagement);
        Assert.False(id.IsSriovVirtualFunction);
    }

    [Fact]
    public void IdentifyController_RoundTrips()
    {
        var id = new IdentifyController(0x144d, 0x144d, "S5GXNF0R123456", "SAMSUNG MZQL21T9HCJR-00A07", "GDC5602Q", 0, 0, 0x00020000, 1, 0x0880);
        var page = new byte[4096];
        id.WriteTo(page);
        Assert.Equal(id, IdentifyController.Parse(page));
    }

    [Fact]
    public void Parsers_Should_Reject_When_PageIsShort()
    {
        Assert.Throws<ArgumentException>(() => IdentifyController.Parse(new byte[4095]));
        Assert.Throws<ArgumentException>(() => PrimaryControllerCapabilities.Parse(new byte[100]));
        Assert.Throws<ArgumentException>(() => SecondaryControllerList.Parse(new byte[32]));
        Assert.Throws<ArgumentException>(() => SupportedControllerStateFormats.Parse(new byte[2]));
        Assert.Throws<ArgumentException>(() => ControllerStateHeader.Parse(new byte[47]));
    }

    [Fact]
    public void PrimaryControllerCapabilities_Parse_Should_ReadQemuLabValues()
    {
        // QEMU lab: crt 0x3, vqfrt 8, vqrfap 0, vqprt 3, vqfrsm 2, vifrt 4, virfap 0, viprt 2, vifrsm 1
        var page = new byte[4096];
        page[0] = 0x00;                                          // @0  CNTLID 0
        page[2] = 0x07;                                          // @2  PORTID 7
        page[4] = 0x03;                                          // @4  CRT VQ|VI
        page[32] = 0x08;                                         // @32 VQFRT 8
        page[36] = 0x04;                                         // @36 VQRFA 4
        page[40] = 0x00;                                         // @40 VQRFAP 0
        page[42] = 0x03;                                         // @42 VQPRT 3
        page[44] = 0x02;                                         // @44 VQFRSM 2
        page[46] = 0x01;                                         // @46 VQGRAN 1
        page[64] = 0x04;                                         // @64 VIFRT 4
        page[68] = 0x02;                                         // @68 VIRFA 2
        page[72] = 0x00;                                         // @72 VIRFAP 0
        page[74] = 0x02;                                         // @74 VIPRT 2
        page[76] = 0x01;                                         // @76 VIFRSM 1
        page[78] = 0x01;                                         // @78 VIGRAN 1

        var caps = PrimaryControllerCapabilities.Parse(page);

        Assert.Equal(new PrimaryControllerCapabilities(0, 7, 3, 8, 4, 0, 3, 2, 1, 4, 2, 0, 2, 1, 1), caps);
        Assert.True(caps.SupportsVqResources);
        Assert.True(caps.SupportsViResources);
    }

    [Fact]
    public void PrimaryControllerCapabilities_RoundTrips()
    {
        var caps = new PrimaryControllerCapabilities(1, 2, 1, 0x01020304, 0x05060708, 0x090a, 0x0b0c, 0x0d0e, 0x0f10, 0x11121314, 0x15161718, 0x191a, 0x1b1c, 0x1d1e, 0x1f20);
        var page = new byte[4096];
        caps.WriteTo(page);
        Assert.Equal(caps, PrimaryControllerCapabilities.Parse(page));
    }

    [Fact]
    public void SecondaryControllerList_Parse_Should_ReadEntriesAtThirtyTwoByteStride()
    {
        var page = new byte[4096];
        page[0] = 2;                                             // @0 NUMID 2
        // entry 0 @32: SCID 1, PCID 0, SCS online, VFN 1, NVQ 2, NVI 1
        page[32] = 0x01; page[36] = 0x01; page[40] = 0x01; page[42] = 0x02; page[44] = 0x01;
        // entry 1 @64: SCID 0x0102, PCID 0, offline, VFN 2, NVQ 0, NVI 0
        page[64] = 0x02; page[65] = 0x01; page[72] = 0x02;
        page[96] = 0xff;                                         // garbage after NUMID entries is ignored

        var list = SecondaryControllerList.Parse(page);

        Assert.Equal(
            new[] { new SecondaryController(1, 0, true, 1, 2, 1), new SecondaryController(0x0102, 0, false, 2, 0, 0) },
            list);
    }

    [Fact]
    public void SecondaryControllerList_Parse_Should_Reject_When_NumidExceeds127()
    {
        var page = new byte[4096];
        page[0] = 128;
        Assert.Throws<FormatException>(() => SecondaryControllerList.Parse(page));
    }

    [Fact]
    public void SecondaryControllerList_RoundTrips_FullPage()
    {
        var entries = Enumerable.Range(1, 127).Select(i => new SecondaryController((ushort)i, 0, i % 2 == 0, (ushort)i, (ushort)(i % 5), (ushort)(i % 3))).ToArray();
        var page = new byte[4096];
        SecondaryControllerList.Write(entries, page);
        Assert.Equal(entries, SecondaryControllerList.Parse(page));
    }

    [Fact]
    public void SupportedControllerStateFormats_Parse_Should_ReadVersionsThenUuids()
    {
        var page = new byte[4096];
        page[0] = 2;                                             // NV 2
        page[1] = 1;                                             // NUUID 1
        page[2] = 0x00; page[3] = 0x00;                          // VERS[0] 0x0000
        page[4] = 0x01; page[5] = 0x00;                          // VERS[1] 0x0001
        for (int i = 0; i < 16; i++)
        {
            page[6 + i] = (byte)(0xA0 + i);                      // UUID[0] at 2 + 2*2
        }

        var formats = SupportedControllerStateFormats.Parse(page);

        Assert.Equal(new ushort[] { 0, 1 }, formats.Versions);
        Assert.Single(formats.VendorFormatUuids);
        Assert.Equal(Enumerable.Range(0xA0, 16).Select(b => (byte)b), formats.VendorFormatUuids[0]);
    }

    [Fact]
    public void SupportedControllerStateFormats_Parse_Should_Reject_When_CountsOverrunPage()
    {
        var page = new byte[4096];
        page[0] = 255;
        page[1] = 255;
        Assert.Throws<FormatException>(() => SupportedControllerStateFormats.Parse(page));
    }

    [Fact]
    public void SupportedControllerStateFormats_RoundTrips()
    {
        var formats = new SupportedControllerStateFormats(new ushort[] { 1, 0x0203 }, new[] { Enumerable.Repeat((byte)7, 16).ToArray() });
        var page = new byte[4096];
        formats.WriteTo(page);
        var parsed = SupportedControllerStateFormats.Parse(page);
        Assert.Equal(formats.Versions, parsed.Versions);
        Assert.Equal(formats.VendorFormatUuids[0], parsed.VendorFormatUuids[0]);
    }

    [Fact]
    public void ControllerStateHeader_Parse_Should_ComputeTotalFromDwordSizes()
    {
        var header = new byte[48];
        header[0] = 0x01;                                        // VER 1
        header[2] = 0x01;                                        // CSATTR suspended
        header[16] = 0x10;                                       // NVMECSS 16 dwords (128-bit LE)
        header[32] = 0x02;                                       // VSS 2 dwords
        var parsed = ControllerStateHeader.Parse(header);
        Assert.True(parsed.ControllerSuspended);
        Assert.Equal(48 + 64 + 8, parsed.TotalBytes);
    }

    [Fact]
    public void ControllerStateHeader_Parse_Should_Reject_When_SizeNeedsMoreThan32Bits()
    {
        var header = new byte[48];
        header[16 + 4] = 1;                                      // NVMECSS bit 32 set
        Assert.Throws<FormatException>(() => ControllerStateHeader.Parse(header));
    }

    [Fact]
    public void ControllerStateHeader_RoundTrips()
    {
        var value = new ControllerStateHeader(3, 1, 100, 7);
        var bytes = new byte[48];
        value.WriteTo(bytes);
        Assert.Equal(value, ControllerStateHeader.Parse(bytes));
    }
}

using System.Reflection;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Hardware.Tests.Nvme;

/// <summary>
/// Every byte offset in NvmeLayouts against the reference tables (reference §2 SQE, §3 Identify structures,
/// §4a controller state header). The AllFieldsCovered guards fail when a new constant is added without a row here.
/// </summary>
public class LayoutTests
{
    public static TheoryData<string, int> SubmissionEntry => new()
    {
        { nameof(SubmissionEntryLayout.Size), 64 },
        { nameof(SubmissionEntryLayout.Opcode), 0 },
        { nameof(SubmissionEntryLayout.Flags), 1 },
        { nameof(SubmissionEntryLayout.CommandId), 2 },
        { nameof(SubmissionEntryLayout.Nsid), 4 },
        { nameof(SubmissionEntryLayout.Cdw2), 8 },
        { nameof(SubmissionEntryLayout.Cdw3), 12 },
        { nameof(SubmissionEntryLayout.MetadataPointer), 16 },
        { nameof(SubmissionEntryLayout.DataPointer), 24 },
        { nameof(SubmissionEntryLayout.Cdw10), 40 },
        { nameof(SubmissionEntryLayout.Cdw11), 44 },
        { nameof(SubmissionEntryLayout.Cdw12), 48 },
        { nameof(SubmissionEntryLayout.Cdw13), 52 },
        { nameof(SubmissionEntryLayout.Cdw14), 56 },
        { nameof(SubmissionEntryLayout.Cdw15), 60 },
    };

    public static TheoryData<string, int> IdentifyController => new()
    {
        { nameof(IdentifyControllerLayout.Vid), 0 },
        { nameof(IdentifyControllerLayout.Ssvid), 2 },
        { nameof(IdentifyControllerLayout.SerialNumber), 4 },
        { nameof(IdentifyControllerLayout.SerialNumberLength), 20 },
        { nameof(IdentifyControllerLayout.ModelNumber), 24 },
        { nameof(IdentifyControllerLayout.ModelNumberLength), 40 },
        { nameof(IdentifyControllerLayout.FirmwareRevision), 64 },
        { nameof(IdentifyControllerLayout.FirmwareRevisionLength), 8 },
        { nameof(IdentifyControllerLayout.Cmic), 76 },
        { nameof(IdentifyControllerLayout.Cntlid), 78 },
        { nameof(IdentifyControllerLayout.Version), 80 },
        { nameof(IdentifyControllerLayout.Ctratt), 96 },
        { nameof(IdentifyControllerLayout.ControllerType), 111 },
        { nameof(IdentifyControllerLayout.Oacs), 256 },
        { nameof(IdentifyControllerLayout.OacsVirtualizationManagement), 1 << 7 },
        { nameof(IdentifyControllerLayout.OacsHostManagedLiveMigration), 1 << 11 },
        { nameof(IdentifyControllerLayout.CmicSriovVirtualFunction), 1 << 2 },
    };

    public static TheoryData<string, int> PrimaryCapabilities => new()
    {
        { nameof(PrimaryControllerCapabilitiesLayout.Cntlid), 0 },
        { nameof(PrimaryControllerCapabilitiesLayout.PortId), 2 },
        { nameof(PrimaryControllerCapabilitiesLayout.Crt), 4 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vqfrt), 32 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vqrfa), 36 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vqrfap), 40 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vqprt), 42 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vqfrsm), 44 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vqgran), 46 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vifrt), 64 },
        { nameof(PrimaryControllerCapabilitiesLayout.Virfa), 68 },
        { nameof(PrimaryControllerCapabilitiesLayout.Virfap), 72 },
        { nameof(PrimaryControllerCapabilitiesLayout.Viprt), 74 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vifrsm), 76 },
        { nameof(PrimaryControllerCapabilitiesLayout.Vigran), 78 },
        { nameof(PrimaryControllerCapabilitiesLayout.CrtVqSupported), 1 },
        { nameof(PrimaryControllerCapabilitiesLayout.CrtViSupported), 2 },
    };

    public static TheoryData<string, int> SecondaryList => new()
    {
        { nameof(SecondaryControllerListLayout.NumberOfIdentifiers), 0 },
        { nameof(SecondaryControllerListLayout.FirstEntry), 32 },
        { nameof(SecondaryControllerListLayout.EntrySize), 32 },
        { nameof(SecondaryControllerListLayout.MaxEntries), 127 },
        { nameof(SecondaryControllerListLayout.Scid), 0 },
        { nameof(SecondaryControllerListLayout.Pcid), 2 },
        { nameof(SecondaryControllerListLayout.Scs), 4 },
        { nameof(SecondaryControllerListLayout.Vfn), 8 },
        { nameof(SecondaryControllerListLayout.Nvq), 10 },
        { nameof(SecondaryControllerListLayout.Nvi), 12 },
        { nameof(SecondaryControllerListLayout.ScsOnline), 1 },
    };

    public static TheoryData<string, int> StateFormats => new()
    {
        { nameof(ControllerStateFormatsLayout.NumberOfVersions), 0 },
        { nameof(ControllerStateFormatsLayout.NumberOfUuids), 1 },
        { nameof(ControllerStateFormatsLayout.FirstVersion), 2 },
        { nameof(ControllerStateFormatsLayout.VersionSize), 2 },
        { nameof(ControllerStateFormatsLayout.UuidSize), 16 },
    };

    public static TheoryData<string, int> StateHeader => new()
    {
        { nameof(ControllerStateHeaderLayout.Size), 48 },
        { nameof(ControllerStateHeaderLayout.Version), 0 },
        { nameof(ControllerStateHeaderLayout.Attributes), 2 },
        { nameof(ControllerStateHeaderLayout.NvmeControllerStateSize), 16 },
        { nameof(ControllerStateHeaderLayout.VendorSpecificSize), 32 },
        { nameof(ControllerStateHeaderLayout.SizeFieldLength), 16 },
        { nameof(ControllerStateHeaderLayout.AttributeSuspended), 1 },
    };

    [Theory]
    [MemberData(nameof(SubmissionEntry))]
    public void SubmissionEntryLayout_MatchesReference(string field, int expected) => Assert.Equal(expected, Constant(typeof(SubmissionEntryLayout), field));

    [Theory]
    [MemberData(nameof(IdentifyController))]
    public void IdentifyControllerLayout_MatchesReference(string field, int expected) => Assert.Equal(expected, Constant(typeof(IdentifyControllerLayout), field));

    [Theory]
    [MemberData(nameof(PrimaryCapabilities))]
    public void PrimaryControllerCapabilitiesLayout_MatchesReference(string field, int expected) => Assert.Equal(expected, Constant(typeof(PrimaryControllerCapabilitiesLayout), field));

    [Theory]
    [MemberData(nameof(SecondaryList))]
    public void SecondaryControllerListLayout_MatchesReference(string field, int expected) => Assert.Equal(expected, Constant(typeof(SecondaryControllerListLayout), field));

    [Theory]
    [MemberData(nameof(StateFormats))]
    public void ControllerStateFormatsLayout_MatchesReference(string field, int expected) => Assert.Equal(expected, Constant(typeof(ControllerStateFormatsLayout), field));

    [Theory]
    [MemberData(nameof(StateHeader))]
    public void ControllerStateHeaderLayout_MatchesReference(string field, int expected) => Assert.Equal(expected, Constant(typeof(ControllerStateHeaderLayout), field));

    [Fact]
    public void AllFieldsCovered()
    {
        AssertCovered(typeof(SubmissionEntryLayout), SubmissionEntry);
        AssertCovered(typeof(IdentifyControllerLayout), IdentifyController);
        AssertCovered(typeof(PrimaryControllerCapabilitiesLayout), PrimaryCapabilities);
        AssertCovered(typeof(SecondaryControllerListLayout), SecondaryList);
        AssertCovered(typeof(ControllerStateFormatsLayout), StateFormats);
        AssertCovered(typeof(ControllerStateHeaderLayout), StateHeader);
    }

    [Fact]
    public void SecondaryControllerList_MaxEntries_FillExactlyOnePage()
    {
        Assert.Equal(IdentifyLayout.DataSize, SecondaryControllerListLayout.FirstEntry + (SecondaryControllerListLayout.MaxEntries * SecondaryControllerListLayout.EntrySize));
    }

    private static int Constant(Type type, string name)
    {
        var field = type.GetField(name, BindingFlags.Public | BindingFlags.Static) ?? throw new InvalidOperationException($"{type.Name}.{name} missing");
        return Convert.ToInt32(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AssertCovered(Type type, TheoryData<string, int> rows)
    {
        var covered = rows.Select(row => (string)row[0]).ToHashSet();
        var constants = type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => f.Name);
        string[] uncovered = constants.Where(name => !covered.Contains(name)).ToArray();
        Assert.True(uncovered.Length == 0, $"{type.Name} constants without a layout row: {string.Join(", ", uncovered)}");
    }
}

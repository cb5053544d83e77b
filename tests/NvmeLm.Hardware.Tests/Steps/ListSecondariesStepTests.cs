using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class ListSecondariesStepTests : IDisposable
{
    private static readonly PciAddress s_pf = PciAddress.Parse("0000:01:00.0");
    private readonly StepFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Run_Should_MapScidVfnVirtfnAndAddress_When_VfsEnabled()
    {
        _fixture.Enable(StepFixture.Source, vfs: 2);
        using var context = _fixture.Context();

        SecondaryListResult list = new ListSecondariesStep(context).Run(StepFixture.Source);

        Assert.Equal(4, list.Secondaries.Count);
        SecondaryMapping first = list.Find(1)!;
        Assert.Equal((1, 0, "0000:01:00.1", true, true), (first.Vfn, first.VirtfnIndex, first.VfAddress.ToString(), first.VfEnabled, first.Online));
        Assert.Equal((2, 1), (first.Nvq, first.Nvi));
        SecondaryMapping third = list.Find(3)!;
        Assert.False(third.VfEnabled);
        Assert.Equal("0000:01:00.3", third.VfAddress.ToString());
        Assert.Empty(list.Actions);
    }

    [Fact]
    public void Map_Should_Refuse_When_VirtfnLinkDisagreesWithOffsetAndStride()
    {
        var snapshot = Snapshot(numVfs: 1, new VirtualFunction(0, PciAddress.Parse("0000:01:00.5"), null, null, 7));

        var ex = Assert.Throws<HardwareRefusedException>(() => ListSecondariesStep.Map(snapshot, [Secondary(1, vfn: 1)]));

        Assert.Equal(RefusalReason.WrongState, ex.Reason);
        Assert.Contains("virtfn0 points to 0000:01:00.5 but offset 1/stride 1 place VF 1 at 0000:01:00.1", ex.Message);
    }

    [Fact]
    public void Map_Should_Refuse_When_TwoSecondariesReportTheSameVfn()
    {
        var ex = Assert.Throws<HardwareRefusedException>(() => ListSecondariesStep.Map(Snapshot(0), [Secondary(1, vfn: 1), Secondary(2, vfn: 1)]));

        Assert.Contains("SCID 1 and SCID 2 both report VFN 1", ex.Message);
    }

    [Fact]
    public void Map_Should_Refuse_When_VfnBeyondTotalVfs()
    {
        var ex = Assert.Throws<HardwareRefusedException>(() => ListSecondariesStep.Map(Snapshot(0), [Secondary(1, vfn: 9)]));

        Assert.Contains("VFN 9, beyond sriov_totalvfs 4", ex.Message);
    }

    [Fact]
    public void Map_Should_Refuse_When_EnabledVfHasNoVirtfnLink()
    {
        var ex = Assert.Throws<HardwareRefusedException>(() => ListSecondariesStep.Map(Snapshot(numVfs: 1), [Secondary(1, vfn: 1)]));

        Assert.Contains("virtfn0 (VFN 1, SCID 1) does not exist", ex.Message);
    }

    [Fact]
    public void Map_Should_NoteButSkip_When_SecondaryHasNoVf()
    {
        SecondaryListResult list = ListSecondariesStep.Map(Snapshot(0), [Secondary(1, vfn: 0)]);

        Assert.Empty(list.Secondaries);
        Assert.Contains("SCID 1 is not associated with a VF (VFN 0)", Assert.Single(list.Notes));
    }

    [Theory]
    [InlineData("0000:01:00.0", 1, 1, 0, "0000:01:00.1")]
    [InlineData("0000:01:00.0", 1, 1, 7, "0000:01:01.0")]
    [InlineData("0000:01:00.0", 0x80, 2, 64, "0000:02:00.0")]
    [InlineData("0000:3a:02.0", 4, 2, 3, "0000:3a:03.2")]
    public void ExpectedVfAddress_Should_FollowKernelRoutingIdRule(string pf, int offset, int stride, int index, string expected)
    {
        var snapshot = new PfSnapshot(PciAddress.Parse(pf), "nvme", "/dev/nvme0", 128, 0, false, offset, stride, []);

        Assert.Equal(expected, snapshot.ExpectedVfAddress(index).ToString());
    }

    private static PfSnapshot Snapshot(int numVfs, params VirtualFunction[] vfs) =>
        new(s_pf, "nvme", "/dev/nvme0", TotalVfs: 4, numVfs, DriversAutoprobe: false, VfOffset: 1, VfStride: 1, vfs);

    private static SecondaryController Secondary(ushort scid, ushort vfn) => new(scid, 0, false, vfn, 0, 0);
}

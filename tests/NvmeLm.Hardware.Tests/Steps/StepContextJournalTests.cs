using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>How a step's plan of host writes is journalled (<see cref="StepContext.ExecuteAll"/>).</summary>
public sealed class StepContextJournalTests : IDisposable
{
    private readonly StepFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void ExecuteAll_Should_JournalEachOutcomeWithTheNextIntent_When_APlanHasSeveralWritesOnOnePf()
    {
        int journalWrites = 0;
        var journal = new HostJournal(_fixture.JournalDirectory, writer: new SlottedFileWriter((step, _) =>
        {
            if (step == SlottedWriteStep.SlotSynced)
            {
                journalWrites++;
            }
        }));
        var pendingAtWrite = new List<string?>();
        var progressBeforeWrite = new List<VfProgress?>();
        using var context = new StepContext(_fixture.Hardware, journal, new SafetyPolicy([StepFixture.Source]), StepFixture.Owner)
        {
            BeforeHostWrite = action =>
            {
                PfJournalRecord record = journal.Read(StepFixture.Source)!;
                pendingAtWrite.Add(record.Pending?.Action == action.Describe() ? "pending" : record.Pending?.Action ?? "none");
                progressBeforeWrite.Add(record.FindVf(1)?.Progress);
            },
        };

        // autoprobe off, numvfs 2, then per secondary: assign VQ, assign VI, online: eight writes on one PF.
        StepResult result = new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, 2, 2, 1));

        Assert.Equal(8, result.Actions.Count);
        Assert.Equal(result.Actions.Count + 1, journalWrites);
        // A crash at any host write leaves that write as the journal's pending intent…
        Assert.All(pendingAtWrite, p => Assert.Equal("pending", p));
        // …and the outcomes before it recorded: SCID 1's resources were assigned before its online was attempted.
        Assert.Equal(VfProgress.ResourcesAssigned, progressBeforeWrite[4]);
        PfJournalRecord final = journal.Read(StepFixture.Source)!;
        Assert.Null(final.Pending);
        Assert.All(final.Vfs, v => Assert.Equal(VfProgress.Online, v.Progress));
    }

    [Fact]
    public void ExecuteAll_Should_RecordTheFailureAndNoPendingIntent_When_AWriteInThePlanIsRefused()
    {
        _fixture.Host.Faults.FailCommand(NvmeLm.Hardware.Nvme.NvmeAdminOpcode.VirtualizationManagement, status: 0x4120);
        using var context = _fixture.Context();

        Assert.ThrowsAny<NvmeLmException>(() => new EnableSriovStep(context).Run(new EnableSriovRequest(StepFixture.Source, 2, 2, 1)));

        PfJournalRecord record = _fixture.Journal.Read(StepFixture.Source)!;
        Assert.Null(record.Pending);
        Assert.Contains("enable-sriov", record.LastFailure);
        // The sysfs writes before the refused command are recorded as done.
        Assert.True(record.NumVfsChangedByAgent);
    }
}

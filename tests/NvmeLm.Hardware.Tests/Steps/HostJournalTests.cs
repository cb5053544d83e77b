using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.TestSupport;

namespace NvmeLm.Hardware.Tests.Steps;

public sealed class HostJournalTests : IDisposable
{
    private static readonly PciAddress s_pf = PciAddress.Parse("0000:01:00.0");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nvmelm-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Write_Should_RoundTripEveryField_When_ReadBack()
    {
        var journal = new HostJournal(_directory);
        var record = new PfJournalRecord
        {
            Pf = s_pf.ToString(),
            Owner = "pool-a",
            OriginalAutoprobe = true,
            OriginalNumVfs = 1,
            AutoprobeChangedByAgent = true,
            NumVfsChangedByAgent = true,
            Pending = new JournalIntent("enable-sriov", "write \"2\" to …/sriov_numvfs", DateTimeOffset.UnixEpoch),
            LastFailure = "earlier failure",
        }.WithVf(2, v => v with { Vfn = 2, Address = "0000:01:00.2", Owner = "mig-1", Role = VfRole.ResumeTarget, Progress = VfProgress.Bound, OriginalDriver = "nvme", RestoredStateSha256 = "ab" });

        journal.Write(record);
        PfJournalRecord read = journal.Read(s_pf)!;

        Assert.Equal(record with { UpdatedAt = read.UpdatedAt, Vfs = read.Vfs }, read);
        Assert.Equal(record.Vfs, read.Vfs);
        Assert.Equal(Path.Combine(_directory, "pf-0000:01:00.0.json"), journal.PathOf(s_pf));
        Assert.Equal([Path.Combine(_directory, "pf-0000:01:00.0.a.json")], Directory.GetFiles(_directory));
    }

    [Fact]
    public void Write_Should_KeepTheStoredRecord_When_OnlyTheStampWouldChange()
    {
        var time = new SteppingTime(DateTimeOffset.UnixEpoch);
        var journal = new HostJournal(_directory, time);
        var record = new PfJournalRecord { Pf = s_pf.ToString(), Owner = "pool-a" }.WithVf(1, v => v with { Vfn = 1, Progress = VfProgress.Bound });
        PfJournalRecord first = journal.Write(record);

        time.Now += TimeSpan.FromMinutes(1);
        // A new but equal record (its VF list is a different list instance with the same entries).
        PfJournalRecord again = journal.Write(record.WithVf(1, v => v));
        time.Now += TimeSpan.FromMinutes(1);
        PfJournalRecord changed = journal.Write(record.WithVf(1, v => v with { Progress = VfProgress.Allowed }));

        Assert.Equal(DateTimeOffset.UnixEpoch, first.UpdatedAt);
        Assert.Equal(first.UpdatedAt, again.UpdatedAt);
        Assert.Equal(DateTimeOffset.UnixEpoch + TimeSpan.FromMinutes(2), changed.UpdatedAt);
        Assert.Equal(VfProgress.Allowed, journal.Read(s_pf)!.FindVf(1)!.Progress);
    }

    private sealed class SteppingTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Read_Should_ReturnNull_When_PfNeverTouched()
    {
        Assert.Null(new HostJournal(_directory).Read(s_pf));
        Assert.Empty(new HostJournal(_directory).ReadAll());
    }

    [Fact]
    public void Read_Should_ThrowNamingTheFile_When_RecordIsCorrupt()
    {
        var journal = new HostJournal(_directory);
        Directory.CreateDirectory(_directory);
        File.WriteAllText(journal.PathOf(s_pf), "{ not json");

        var ex = Assert.Throws<JournalCorruptException>(() => journal.Read(s_pf));

        Assert.Contains("pf-0000:01:00.0.json", ex.Message);
    }

    [Fact]
    public void Read_Should_Throw_When_SchemaVersionUnknown()
    {
        var journal = new HostJournal(_directory);
        Directory.CreateDirectory(_directory);
        File.WriteAllText(journal.PathOf(s_pf), """{ "schemaVersion": 99, "pf": "0000:01:00.0", "owner": "x" }""");

        Assert.Throws<JournalCorruptException>(() => journal.Read(s_pf));
    }

    [Fact]
    public void Write_Should_ReplaceAtomically_When_RecordExists()
    {
        var journal = new HostJournal(_directory);
        journal.Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "a" });

        journal.Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "b" });

        Assert.Equal("b", journal.Read(s_pf)!.Owner);
        Assert.Single(journal.ReadAll());
        journal.Delete(s_pf);
        Assert.Null(journal.Read(s_pf));
    }

    /// <summary>
    /// A restarted agent reads every record whole: the new one once its slot is written (a process death keeps the page
    /// cache), the old one when a power cut tore the slot before its fsync.
    /// </summary>
    [Theory]
    [MemberData(nameof(Crashes))]
    public void Write_Should_LeaveTheOldOrTheNewRecord_When_TheAgentDiesAfterAnyStepOfTheWrite(SlottedWriteStep crashAfter, bool powerCut)
    {
        var record = new PfJournalRecord { Pf = s_pf.ToString(), Owner = "a" }.WithVf(1, v => v with { Vfn = 1, Progress = VfProgress.Bound });
        new HostJournal(_directory).Write(record);
        new HostJournal(_directory).Write(record.WithVf(1, v => v with { Progress = VfProgress.Allowed }));
        var dying = new HostJournal(_directory, writer: Dying(crashAfter, powerCut));

        Assert.Throws<SimulatedCrashException>(() => dying.Write(record.WithVf(1, v => v with { Progress = VfProgress.StateSaved })));

        PfJournalRecord read = Assert.Single(new HostJournal(_directory).ReadAll());
        Assert.Equal(powerCut ? VfProgress.Allowed : VfProgress.StateSaved, read.FindVf(1)!.Progress);
    }

    public static TheoryData<SlottedWriteStep, bool> Crashes => new()
    {
        { SlottedWriteStep.SlotWritten, false },
        { SlottedWriteStep.SlotWritten, true },
        { SlottedWriteStep.SlotSynced, false },
    };

    private static SlottedFileWriter Dying(SlottedWriteStep crashAfter, bool powerCut) =>
        new(powerCut ? SimulatedPowerCut.TearAfter(crashAfter) : SimulatedCrash.After(crashAfter));

    /// <summary>The first write of a record torn by a power cut leaves no record: nothing was written to the host after it.</summary>
    [Fact]
    public void Read_Should_FindNoRecord_When_TheFirstWriteWasTorn()
    {
        var dying = new HostJournal(_directory, writer: Dying(SlottedWriteStep.SlotWritten, powerCut: true));

        Assert.Throws<SimulatedCrashException>(() => dying.Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "a" }));

        Assert.Null(new HostJournal(_directory).Read(s_pf));
        Assert.Empty(new HostJournal(_directory).ReadAll());
        new HostJournal(_directory).Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "b" });
        Assert.Equal("b", new HostJournal(_directory).Read(s_pf)!.Owner);
    }

    /// <summary>An agent upgraded over a journal of the single-file format reads it, and its first write replaces it.</summary>
    [Fact]
    public void Read_Should_ReadTheSingleFileOfAnOlderAgent_Until_TheFirstWrite()
    {
        var journal = new HostJournal(_directory);
        var older = new PfJournalRecord { Pf = s_pf.ToString(), Owner = "a" }.WithVf(1, v => v with { Vfn = 1, Progress = VfProgress.Bound });
        journal.Write(older);
        // What an older agent left: the same JSON as the only file, no slots.
        byte[] json = SlottedFileWriter.Read(journal.PathOf(s_pf))!.Content;
        SlottedFileWriter.Delete(journal.PathOf(s_pf));
        File.WriteAllBytes(journal.PathOf(s_pf), json);

        Assert.Equal(VfProgress.Bound, journal.Read(s_pf)!.FindVf(1)!.Progress);
        Assert.Single(journal.ReadAll());

        journal.Write(older.WithVf(1, v => v with { Progress = VfProgress.Allowed }));

        Assert.False(File.Exists(journal.PathOf(s_pf)));
        Assert.Equal(VfProgress.Allowed, Assert.Single(new HostJournal(_directory).ReadAll()).FindVf(1)!.Progress);
        journal.Delete(s_pf);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    /// <summary>Within a scope a record is loaded once: a change on disk by another writer shows only after the scope.</summary>
    [Fact]
    public void Read_Should_LoadOncePerScope_And_SeeTheDiskAgain_When_TheLastScopeCloses()
    {
        var journal = new HostJournal(_directory);
        var other = new HostJournal(_directory);
        journal.Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "a" });

        using (journal.Scope())
        {
            Assert.Equal("a", journal.Read(s_pf)!.Owner);
            other.Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "b" });
            IDisposable inner = journal.Scope();
            Assert.Equal("a", journal.Read(s_pf)!.Owner);
            inner.Dispose();
            inner.Dispose(); // a second dispose closes nothing more: the outer scope still holds
            Assert.Equal("a", journal.Read(s_pf)!.Owner);
        }

        Assert.Equal("b", journal.Read(s_pf)!.Owner);
        other.Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "c" });
        Assert.Equal("c", journal.Read(s_pf)!.Owner); // no scope: every read is from disk
    }

    /// <summary>Within a scope, what this journal wrote (or deleted) is what it reads back, without a load.</summary>
    [Fact]
    public void Read_Should_ReturnWhatTheScopeWrote_When_AScopeIsOpen()
    {
        var journal = new HostJournal(_directory);
        using IDisposable scope = journal.Scope();

        PfJournalRecord stored = journal.Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "a" });
        File.WriteAllText(journal.PathOf(s_pf), "{ not json"); // what another writer would break is not read again

        Assert.Same(stored, journal.Read(s_pf));
        Assert.Same(stored, journal.Write(new PfJournalRecord { Pf = s_pf.ToString(), Owner = "a" }));
        journal.Delete(s_pf);
        Assert.Null(journal.Read(s_pf));
    }

    /// <summary>A write that dies leaves the old or the new record on disk; the scope does not guess which.</summary>
    [Theory]
    [MemberData(nameof(Crashes))]
    public void Read_Should_LoadFromDisk_When_AWriteInTheScopeDied(SlottedWriteStep crashAfter, bool powerCut)
    {
        var record = new PfJournalRecord { Pf = s_pf.ToString(), Owner = "a" }.WithVf(1, v => v with { Vfn = 1, Progress = VfProgress.Bound });
        new HostJournal(_directory).Write(record);
        var dying = new HostJournal(_directory, writer: Dying(crashAfter, powerCut));
        using IDisposable scope = dying.Scope();
        Assert.Equal(VfProgress.Bound, dying.Read(s_pf)!.FindVf(1)!.Progress);

        Assert.Throws<SimulatedCrashException>(() => dying.Write(record.WithVf(1, v => v with { Progress = VfProgress.StateSaved })));

        Assert.Equal(powerCut ? VfProgress.Bound : VfProgress.StateSaved, dying.Read(s_pf)!.FindVf(1)!.Progress);
    }
}

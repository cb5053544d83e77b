using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.NodeAgent.Agent;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.Agent;

public sealed class OperationJournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nvmelm-opjournal-" + Guid.NewGuid().ToString("N"));

    private static readonly DateTime s_started = new(2026, 11, 27, 5, 0, 0, DateTimeKind.Utc);

    private static OperationRecord Record(string id, OperationState state, DateTime? finished = null, DateTime? started = null) => new()
    {
        Id = id,
        Type = NodeOperationType.Suspend,
        VfAddress = "0000:01:00.2",
        OwnerUid = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10",
        State = state,
        StartedAt = started ?? s_started,
        FinishedAt = finished,
    };

    [Fact]
    public void Flush_Should_SurviveANewInstance_When_TheAgentRestarts()
    {
        var journal = new OperationJournal(_directory, "worker-1");
        journal.Stage(Record("a-suspend", OperationState.Running));
        journal.Stage(Record("a-suspend", OperationState.Succeeded, DateTime.UtcNow) with { Message = "done" });
        journal.Flush();

        var reopened = new OperationJournal(_directory, "worker-1");

        OperationRecord record = Assert.Single(reopened.Records);
        Assert.Equal((OperationState.Succeeded, "done"), (record.State, record.Message));
        Assert.Equal([SlottedFileWriter.SlotsOf(reopened.Path).A], Directory.GetFiles(_directory));
    }

    /// <summary>Nothing inside the critical section waits for this file: a staged record is on disk only after a flush.</summary>
    [Fact]
    public void Stage_Should_WriteNothing_Until_Flush()
    {
        var journal = new OperationJournal(_directory, "worker-1");
        Durable(journal, Record("a-suspend", OperationState.Succeeded, s_started.AddSeconds(1)));

        journal.Stage(Record("a-save", OperationState.Running));
        journal.Stage(Record("a-save", OperationState.Succeeded, s_started.AddSeconds(2)));

        Assert.Equal(["a-suspend"], new OperationJournal(_directory, "worker-1").Records.Select(r => r.Id));
        journal.Flush();
        Assert.Equal(["a-save", "a-suspend"], new OperationJournal(_directory, "worker-1").Records.Select(r => r.Id).Order());
    }

    /// <summary>
    /// A restarted agent reads a whole journal: the new one once its slot is written (a process that dies leaves the page
    /// cache to the kernel), the old one when a power cut tore the write before its fsync.
    /// </summary>
    [Theory]
    [InlineData(SlottedWriteStep.SlotWritten, false, OperationState.Succeeded)]
    [InlineData(SlottedWriteStep.SlotWritten, true, OperationState.Running)]
    [InlineData(SlottedWriteStep.SlotSynced, false, OperationState.Succeeded)]
    public void Flush_Should_LeaveTheOldOrTheNewJournal_When_TheAgentDiesAfterAnyStepOfTheWrite(SlottedWriteStep crashAfter, bool powerCut, OperationState expected)
    {
        Durable(new OperationJournal(_directory, "worker-1"), Record("a-suspend", OperationState.Running));
        var dying = new OperationJournal(_directory, "worker-1",
            new SlottedFileWriter(powerCut ? SimulatedPowerCut.TearAfter(crashAfter) : SimulatedCrash.After(crashAfter)));
        dying.Stage(Record("a-suspend", OperationState.Succeeded, s_started.AddSeconds(1)));

        Assert.Throws<SimulatedCrashException>(dying.Flush);

        OperationRecord record = Assert.Single(new OperationJournal(_directory, "worker-1").Records);
        Assert.Equal(expected, record.State);
    }

    [Fact]
    public void Prune_Should_ForgetOnlyOldRecordsNoLongerRequested_When_Called()
    {
        var journal = new OperationJournal(_directory, "worker-1");
        DateTime cutoff = s_started.AddHours(1);
        Durable(journal,
            Record("old-done", OperationState.Succeeded, finished: cutoff.AddMinutes(-1)),
            Record("recent-done", OperationState.Failed, finished: cutoff.AddMinutes(1)),
            Record("old-running", OperationState.Running),
            Record("recent-running", OperationState.Running, started: cutoff.AddMinutes(1)),
            Record("requested", OperationState.Succeeded, finished: cutoff.AddHours(-2)));

        int removed = journal.Prune(new HashSet<string> { "requested" }, cutoff);

        Assert.Equal(2, removed);
        Assert.Equal(["recent-done", "recent-running", "requested"], new OperationJournal(_directory, "worker-1").Records.Select(r => r.Id).Order());
    }

    [Fact]
    public void Constructor_Should_Throw_When_FileIsNotAnOperationJournal()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "operations-worker-1.json"), "{ not json");

        var ex = Assert.Throws<JournalCorruptException>(() => new OperationJournal(_directory, "worker-1"));
        Assert.Contains("operations-worker-1.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Should_Throw_When_FileBelongsToAnotherNode()
    {
        Durable(new OperationJournal(_directory, "worker-2"), Record("x", OperationState.Running));
        File.Copy(SlottedFileWriter.SlotsOf(Path.Combine(_directory, "operations-worker-2.json")).A, SlottedFileWriter.SlotsOf(Path.Combine(_directory, "operations-worker-1.json")).A);

        Assert.Throws<JournalCorruptException>(() => new OperationJournal(_directory, "worker-1"));
    }

    private static void Durable(OperationJournal journal, params OperationRecord[] records)
    {
        foreach (OperationRecord record in records)
        {
            journal.Stage(record);
        }

        journal.Flush();
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

using System.Text;
using NvmeLm.Hardware.Host;
using NvmeLm.TestSupport;

namespace NvmeLm.Hardware.Tests.Host;

/// <summary>
/// The one write-temp-then-rename of the repository: the order of its steps, and what a crash after each step leaves
/// (the journals and the state files are checked with their own readers in their own tests).
/// </summary>
public sealed class AtomicFileWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nvmelm-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<AtomicWriteStep> Steps => [.. Enum.GetValues<AtomicWriteStep>()];

    [Fact]
    public void Write_Should_SyncTheFileBeforeTheRenameAndTheDirectoryAfterIt()
    {
        var steps = new List<AtomicWriteStep>();
        string path = Path.Combine(_directory, "record.json");

        new AtomicFileWriter((step, target) =>
        {
            Assert.Equal(path, target);
            steps.Add(step);
        }).Write(path, "new"u8.ToArray());

        Assert.Equal([AtomicWriteStep.TempCreated, AtomicWriteStep.TempWritten, AtomicWriteStep.TempSynced, AtomicWriteStep.Renamed, AtomicWriteStep.DirectorySynced], steps);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Write_Should_LeaveTheOldOrTheNewContent_When_TheProcessDiesAfterAStep(AtomicWriteStep crashAfter)
    {
        string path = Path.Combine(_directory, "record.json");
        AtomicFileWriter.Durable.Write(path, "old content"u8.ToArray());

        Assert.Throws<SimulatedCrashException>(() => new AtomicFileWriter(SimulatedCrash.After(crashAfter)).Write(path, "new content"u8.ToArray()));

        // Whole old content until the rename, whole new content from it: never missing, never a mix.
        Assert.Equal(crashAfter >= AtomicWriteStep.Renamed ? "new content" : "old content", File.ReadAllText(path));
        // A dead process cleans nothing up: before the rename its temp file stays, under a name of its own...
        string[] leftovers = Directory.GetFiles(_directory).Where(f => f != path).ToArray();
        Assert.Equal(crashAfter >= AtomicWriteStep.Renamed ? 0 : 1, leftovers.Length);
        // ...which does not stand in the way of the next writer.
        AtomicFileWriter.Durable.Write(path, "next content"u8.ToArray());
        Assert.Equal("next content", File.ReadAllText(path));
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Write_Should_CreateNoFile_When_TheFirstWriteDiesBeforeTheRename(AtomicWriteStep crashAfter)
    {
        string path = Path.Combine(_directory, "first.json");

        Assert.Throws<SimulatedCrashException>(() => new AtomicFileWriter(SimulatedCrash.After(crashAfter)).Write(path, "new"u8.ToArray()));

        Assert.Equal(crashAfter >= AtomicWriteStep.Renamed, File.Exists(path));
        if (File.Exists(path))
        {
            Assert.Equal("new", File.ReadAllText(path));
        }
    }

    [Fact]
    public void Write_Should_KeepTheOldContentAndRemoveItsTemp_When_WritingTheContentFails()
    {
        string path = Path.Combine(_directory, "record.json");
        AtomicFileWriter.Durable.Write(path, "old"u8.ToArray());

        Assert.Throws<IOException>(() => AtomicFileWriter.Durable.Write(path, stream =>
        {
            stream.Write("half of the ne"u8);
            throw new IOException("No space left on device");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void Write_Should_CreateMissingDirectories()
    {
        string path = Path.Combine(_directory, "a", "b", "record.json");

        AtomicFileWriter.Durable.Write(path, "new"u8.ToArray());

        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void Write_Should_LeaveOneWholeContent_When_WritersRace()
    {
        // Unique temp names: racing writers (several processes on one emulated host) never share a temp file.
        string path = Path.Combine(_directory, "shared.json");
        string[] contents = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 64 * 1024)).ToArray();

        Parallel.For(0, 64, i => AtomicFileWriter.Durable.Write(path, Encoding.ASCII.GetBytes(contents[i % contents.Length])));

        Assert.Contains(File.ReadAllText(path), contents);
        Assert.Equal([path], Directory.GetFiles(_directory));
    }
}

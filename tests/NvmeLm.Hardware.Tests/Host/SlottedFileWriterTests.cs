using System.Text;
using NvmeLm.Hardware.Host;
using NvmeLm.TestSupport;

namespace NvmeLm.Hardware.Tests.Host;

/// <summary>
/// The two-slot in-place writer of the journals: which slot a write takes, what a crash or a power cut after each step
/// leaves, and how a slot that is not whole is told apart (the journals are checked with their own readers in their
/// own tests).
/// </summary>
public sealed class SlottedFileWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nvmelm-slotted-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Document => Path.Combine(_directory, "record.json");

    private static string Text(SlottedDocument? document) => Encoding.UTF8.GetString(document!.Content);

    [Fact]
    public void SlotsOf_Should_PutTheSlotNameBeforeTheExtension()
    {
        Assert.Equal((Path.Combine(_directory, "record.a.json"), Path.Combine(_directory, "record.b.json")), SlottedFileWriter.SlotsOf(Document));
    }

    [Fact]
    public void Write_Should_AlternateSlots_And_ReadTheLatest()
    {
        var (a, b) = SlottedFileWriter.SlotsOf(Document);
        var written = new List<string>();
        var writer = new SlottedFileWriter((step, target) =>
        {
            if (step == SlottedWriteStep.SlotSynced)
            {
                written.Add(target);
            }
        });

        writer.Write(Document, "first"u8);
        writer.Write(Document, "second, longer"u8);
        writer.Write(Document, "third"u8);

        Assert.Equal([a, b, a], written);
        SlottedDocument latest = SlottedFileWriter.Read(Document)!;
        Assert.Equal(("third", 3L, a), (Text(latest), latest.Sequence, latest.File));
        // Each slot is the document and a JSON trailer line; a shorter document leaves no old bytes behind it.
        string[] lines = File.ReadAllText(a).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("third", lines[0]);
        Assert.StartsWith("{\"sequence\":3,\"sha256\":\"", lines[1], StringComparison.Ordinal);
        Assert.Equal("", lines[2]);
        Assert.Equal("second, longer", File.ReadAllText(b).Split('\n')[0]);
    }

    [Fact]
    public void Read_Should_ReturnNull_When_NothingWasWritten()
    {
        Assert.Null(SlottedFileWriter.Read(Document));
        Assert.False(SlottedFileWriter.Exists(Document));
    }

    /// <summary>
    /// A process that dies after the slot is written leaves the new document (the kernel still has the page cache); a
    /// power cut before the fsync may tear the slot, and then the other slot's document is read.
    /// </summary>
    [Theory]
    [InlineData(SlottedWriteStep.SlotWritten, false, "new")]
    [InlineData(SlottedWriteStep.SlotWritten, true, "old")]
    [InlineData(SlottedWriteStep.SlotSynced, false, "new")]
    public void Write_Should_LeaveTheOldOrTheNewDocument_When_ItDiesAfterAStep(SlottedWriteStep crashAfter, bool powerCut, string expected)
    {
        SlottedFileWriter.Durable.Write(Document, "older"u8);
        SlottedFileWriter.Durable.Write(Document, "old"u8);
        var dying = new SlottedFileWriter(powerCut ? SimulatedPowerCut.TearAfter(crashAfter) : SimulatedCrash.After(crashAfter));

        Assert.Throws<SimulatedCrashException>(() => dying.Write(Document, "new"u8));

        Assert.Equal(expected, Text(SlottedFileWriter.Read(Document)));
        SlottedFileWriter.Durable.Write(Document, "next"u8);
        Assert.Equal("next", Text(SlottedFileWriter.Read(Document)));
    }

    /// <summary>Whatever a torn slot holds — cut anywhere, a byte changed, an old tail — its digest or trailer gives it away.</summary>
    [Theory]
    [InlineData("cut")]
    [InlineData("flipped")]
    [InlineData("stale-tail")]
    [InlineData("empty")]
    public void Read_Should_IgnoreASlotThatIsNotWhole(string damage)
    {
        SlottedFileWriter.Durable.Write(Document, "old document"u8);
        SlottedFileWriter.Durable.Write(Document, "the new document"u8);
        var (_, b) = SlottedFileWriter.SlotsOf(Document);
        byte[] slot = File.ReadAllBytes(b);
        byte[] damaged = damage switch
        {
            "cut" => slot[..^1],
            "flipped" => [.. slot.Take(4), (byte)(slot[4] ^ 0x20), .. slot.Skip(5)],
            // A shorter write that died before the slot was cut to its length: its own trailer, then the old one's tail.
            "stale-tail" => [.. SlottedFileWriter.Frame("new"u8, 2), .. slot.Skip(SlottedFileWriter.Frame("new"u8, 2).Length)],
            _ => [],
        };
        File.WriteAllBytes(b, damaged);

        Assert.Equal("old document", Text(SlottedFileWriter.Read(Document)));
    }

    [Fact]
    public void Read_Should_Throw_When_NeitherSlotIsWhole()
    {
        SlottedFileWriter.Durable.Write(Document, "one"u8);
        SlottedFileWriter.Durable.Write(Document, "two"u8);
        var (a, b) = SlottedFileWriter.SlotsOf(Document);
        File.WriteAllText(a, "garbage");
        File.WriteAllText(b, "garbage\n{\"sequence\":2,\"sha256\":\"00\"}\n");

        var ex = Assert.Throws<InvalidDataException>(() => SlottedFileWriter.Read(Document));

        Assert.Contains(a, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Should_TakeTheSingleFileOfTheOlderFormat_Until_ASlotIsWritten()
    {
        File.WriteAllText(Document, "single file");

        Assert.Equal(("single file", 0L), (Text(SlottedFileWriter.Read(Document)), SlottedFileWriter.Read(Document)!.Sequence));

        SlottedFileWriter.Durable.Write(Document, "slotted"u8);

        Assert.False(File.Exists(Document));
        Assert.Equal("slotted", Text(SlottedFileWriter.Read(Document)));
    }

    /// <summary>Delete removes the single file and both slots (the older slot first, see the writer).</summary>
    [Fact]
    public void Delete_Should_RemoveEverySlot()
    {
        SlottedFileWriter.Durable.Write(Document, "one"u8);
        SlottedFileWriter.Durable.Write(Document, "two"u8);
        SlottedFileWriter.Durable.Write(Document, "three"u8);

        SlottedFileWriter.Delete(Document);

        Assert.Null(SlottedFileWriter.Read(Document));
        Assert.Empty(Directory.GetFiles(_directory));
    }
}

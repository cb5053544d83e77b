namespace NvmeLm.Hardware.Host;

/// <summary>
/// Replaces a file so that a crash or a power cut at any moment leaves either the old or the new content, never none
/// and never a torn file. The one implementation of write-temp-then-rename for every writer (journals, emulated host
/// state, saved controller states), in the order fsync(2) and rename(2) require:
/// <list type="number">
/// <item>create a temp file with a unique name in the target's directory (same filesystem, so the rename is atomic;
/// unique, so two writers or a crashed writer's leftover never collide);</item>
/// <item>write the content and fsync the temp file: its data is on disk before any name points at it;</item>
/// <item>rename it over the target: rename(2) replaces the name atomically, a reader opens the old or the new file;</item>
/// <item>fsync the directory: fsync(2) "does not necessarily ensure that the entry in the directory containing the file
/// has also reached disk. For that an explicit fsync() on a file descriptor for the directory is also needed"
/// (man 2 fsync), so without it a power cut can undo the rename the journal's crash safety rests on.</item>
/// </list>
/// A directory that does not exist yet is created, and its new entry synced in its parent the same way. On an error the
/// temp file is removed; a crash leaves it behind, under a name (<c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>) no reader matches.
/// Linux only (the agent's platform): directories are synced with open(2) O_DIRECTORY and fsync(2).
/// </summary>
public sealed class AtomicFileWriter
{
    private const string TempSuffix = ".tmp";

    private readonly Action<AtomicWriteStep, string>? _afterStep;

    /// <param name="afterStep">
    /// Test seam, called with the step and the target path after each <see cref="AtomicWriteStep"/>. An exception it throws
    /// models the process dying right there: the writer then does nothing more, not even remove its temp file, exactly
    /// like a kill or a power cut.
    /// </param>
    public AtomicFileWriter(Action<AtomicWriteStep, string>? afterStep = null)
    {
        _afterStep = afterStep;
    }

    /// <summary>The writer every production caller uses.</summary>
    public static AtomicFileWriter Durable { get; } = new();

    public void Write(string path, ReadOnlyMemory<byte> content) => Write(path, stream => stream.Write(content.Span));

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="writeContent"/> writes to the stream it is given.</summary>
    public void Write(string path, Action<Stream> writeContent)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeContent);
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}{TempSuffix}");
        bool crashed = false;
        void After(AtomicWriteStep step)
        {
            try
            {
                _afterStep?.Invoke(step, target);
            }
            catch
            {
                crashed = true;
                throw;
            }
        }

        DurableDirectory.Create(directory);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                After(AtomicWriteStep.TempCreated);
                writeContent(stream);
                After(AtomicWriteStep.TempWritten);
                stream.Flush(flushToDisk: true);
                After(AtomicWriteStep.TempSynced);
            }

            File.Move(temp, target, overwrite: true);
            After(AtomicWriteStep.Renamed);
        }
        catch when (!crashed)
        {
            TryDelete(temp);
            throw;
        }

        DurableDirectory.Sync(directory);
        After(AtomicWriteStep.DirectorySynced);
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // The original error is the one to report; an orphaned temp file is skipped by every reader.
        }
    }
}

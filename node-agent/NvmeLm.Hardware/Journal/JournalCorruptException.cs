namespace NvmeLm.Hardware.Journal;

/// <summary>
/// A journal file cannot be read. The agent stops rather than guess: acting without knowing what it
/// changed before could reset a device it does not own.
/// </summary>
public sealed class JournalCorruptException : NvmeLmException
{
    public JournalCorruptException(string path, string reason, Exception? inner = null)
        : base($"journal record {path} is unreadable ({reason}); inspect it, restore the host by hand if needed, then remove it", inner)
    {
        Path = path;
    }

    public string Path { get; }
}

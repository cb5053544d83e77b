namespace NvmeLm.Hardware.Host;

/// <summary>The steps of <see cref="SlottedFileWriter.Write"/>, in order; a crash can fall between any two.</summary>
public enum SlottedWriteStep
{
    /// <summary>The document and its trailer are written over the older slot (possibly only in the page cache: a power cut may tear them).</summary>
    SlotWritten,

    /// <summary>The slot is on disk (fsync; and its directory entry, when the write created it).</summary>
    SlotSynced,
}

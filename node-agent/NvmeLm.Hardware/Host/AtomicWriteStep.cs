namespace NvmeLm.Hardware.Host;

/// <summary>The steps of <see cref="AtomicFileWriter.Write(string, Action{Stream})"/>, in order; a crash can fall between any two.</summary>
public enum AtomicWriteStep
{
    /// <summary>The uniquely named temp file exists, empty, next to the target.</summary>
    TempCreated,

    /// <summary>The content is written to the temp file (possibly only in the page cache).</summary>
    TempWritten,

    /// <summary>The temp file's data is on disk (fsync).</summary>
    TempSynced,

    /// <summary>The temp file is renamed over the target (rename(2) is atomic: readers see the old or the new file).</summary>
    Renamed,

    /// <summary>The directory is synced, so the rename itself survives a power cut.</summary>
    DirectorySynced,
}

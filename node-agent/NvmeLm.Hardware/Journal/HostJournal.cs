using System.Text.Json;
using NvmeLm.Hardware.Host;

namespace NvmeLm.Hardware.Journal;

/// <summary>
/// The agent's on-host journal (DESIGN §5): one JSON record per physical function under a directory
/// (default <see cref="DefaultDirectory"/>), kept in two slot files (<c>pf-&lt;address&gt;.a.json</c> and
/// <c>.b.json</c>) by <see cref="SlottedFileWriter"/>, so after a crash or a power cut a reader sees either the previous
/// or the new record, never none or a torn one, at one fsync per write (it replaced a write-temp-and-rename per record,
/// issue 12: six of these writes are inside a migration's device downtime). It lives on the host (a hostPath in the
/// DaemonSet) so it survives agent restarts; a record an older agent left as <c>pf-&lt;address&gt;.json</c> is read
/// until the first write replaces it.
/// </summary>
public sealed class HostJournal
{
    public const string DefaultDirectory = "/var/lib/nvme-lm";
    private const string RecordPrefix = "pf-";
    private const string RecordSuffix = ".json";
    private static readonly string[] s_slotSuffixes = [".a" + RecordSuffix, ".b" + RecordSuffix];

    private readonly TimeProvider _time;
    private readonly SlottedFileWriter _writer;

    /// <summary>
    /// While a <see cref="Scope"/> is open: each record as this journal last read or wrote it, with its stamp-free
    /// JSON, by file. One spec apply reads a PF's record before every host write and compares it on every journal
    /// write (≈ 20 loads of one small file per apply, a fifth of the spec apply's CPU in a 500-migration demo); within a
    /// scope the file is loaded once. Dropped when the last scope closes, so every step, sync and CLI command starts
    /// from the file as it is on disk — what another writer changed between two of them is seen, as before.
    /// </summary>
    private readonly Dictionary<string, (PfJournalRecord? Record, string? Unstamped)> _scoped = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _openScopes;

    /// <param name="writer">How records are written (default <see cref="SlottedFileWriter.Durable"/>; tests inject crashes).</param>
    public HostJournal(string directory, TimeProvider? time = null, SlottedFileWriter? writer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        _time = time ?? TimeProvider.System;
        _writer = writer ?? SlottedFileWriter.Durable;
    }

    public string Directory { get; }

    /// <summary>
    /// The record of <paramref name="pf"/> as a document (the address is validated, so it is a safe file name): its
    /// slot files are <see cref="SlottedFileWriter.SlotsOf"/> this path.
    /// </summary>
    public string PathOf(PciAddress pf) => Path.Combine(Directory, RecordPrefix + pf + RecordSuffix);

    /// <summary>The record of <paramref name="pf"/>, or null if the agent never touched it.</summary>
    public PfJournalRecord? Read(PciAddress pf) => ReadScoped(PathOf(pf)).Record;

    /// <summary>
    /// Opens a scope in which records are loaded from disk once and then served as this journal last read or wrote
    /// them (a <see cref="StepContext"/> holds one for its lifetime). For the length of one step or apply, which
    /// already reads, changes and writes a record without a lock, so a concurrent writer of the same file races it
    /// exactly as before; between scopes nothing is kept.
    /// </summary>
    public IDisposable Scope()
    {
        lock (_gate)
        {
            _openScopes++;
        }

        return new ScopeHandle(this);
    }

    private void CloseScope()
    {
        lock (_gate)
        {
            if (--_openScopes == 0)
            {
                _scoped.Clear();
            }
        }
    }

    private (PfJournalRecord? Record, string? Unstamped) ReadScoped(string path)
    {
        lock (_gate)
        {
            if (_openScopes > 0 && _scoped.TryGetValue(path, out var known))
            {
                return known;
            }
        }

        PfJournalRecord? record = Load(path);
        Remember(path, record, null);
        return (record, null);
    }

    private void Remember(string path, PfJournalRecord? record, string? unstamped)
    {
        lock (_gate)
        {
            if (_openScopes > 0)
            {
                _scoped[path] = (record, unstamped);
            }
        }
    }

    private void Forget(string path)
    {
        lock (_gate)
        {
            _scoped.Remove(path);
        }
    }

    /// <summary>All records, ordered by PF address.</summary>
    public IReadOnlyList<PfJournalRecord> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, RecordPrefix + "*" + RecordSuffix)
            .Select(DocumentOf)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .OfType<PfJournalRecord>()
            .ToList();
    }

    /// <summary>
    /// Atomically replaces the record of its PF, stamping <see cref="PfJournalRecord.UpdatedAt"/>. A record equal to
    /// the stored one (apart from the stamp) is not rewritten: every sync re-confirms its steps, and an fsync per
    /// confirmation of nothing was a fifth of the CPU of a 100-node demo (dotnet-trace).
    /// </summary>
    public PfJournalRecord Write(PfJournalRecord record)
    {
        string path = PathOf(PciAddress.Parse(record.Pf));
        string unstamped = Unstamped(record);
        var (stored, storedUnstamped) = ReadScoped(path);
        if (stored is not null && (storedUnstamped ?? Unstamped(stored)) == unstamped)
        {
            Remember(path, stored, unstamped);
            return stored;
        }

        PfJournalRecord stamped = record with { UpdatedAt = _time.GetUtcNow() };
        try
        {
            _writer.Write(path, JsonSerializer.SerializeToUtf8Bytes(stamped, JournalJsonContext.Default.PfJournalRecord));
        }
        catch
        {
            // The old or the new record is on disk (SlottedFileWriter): the next read finds out which.
            Forget(path);
            throw;
        }

        Remember(path, stamped, unstamped);
        return stamped;
    }

    /// <summary>Removes the record once everything it describes has been restored.</summary>
    public void Delete(PciAddress pf)
    {
        string path = PathOf(pf);
        Forget(path);
        SlottedFileWriter.Delete(path);
        Remember(path, null, null);
    }

    /// <summary>The record's content without its stamp, for comparison (list members compare by value only in JSON).</summary>
    private static string Unstamped(PfJournalRecord record) =>
        JsonSerializer.Serialize(record with { UpdatedAt = default }, JournalJsonContext.Default.PfJournalRecord);

    /// <summary>The document path of a slot file (or of an older agent's single file).</summary>
    private static string DocumentOf(string file)
    {
        string? slotSuffix = s_slotSuffixes.FirstOrDefault(suffix => file.EndsWith(suffix, StringComparison.Ordinal));
        return slotSuffix is null ? file : file[..^slotSuffix.Length] + RecordSuffix;
    }

    private static PfJournalRecord? Load(string path)
    {
        SlottedDocument? document;
        try
        {
            document = SlottedFileWriter.Read(path);
        }
        catch (InvalidDataException ex)
        {
            throw new JournalCorruptException(path, ex.Message, ex);
        }

        if (document is null)
        {
            return null;
        }

        try
        {
            PfJournalRecord? record = JsonSerializer.Deserialize(document.Content, JournalJsonContext.Default.PfJournalRecord);
            if (record is null || record.SchemaVersion != PfJournalRecord.CurrentSchemaVersion || !PciAddress.TryParse(record.Pf, out _))
            {
                throw new JournalCorruptException(document.File, "not a schema-version-" + PfJournalRecord.CurrentSchemaVersion + " PF record");
            }

            return record;
        }
        catch (JsonException ex)
        {
            throw new JournalCorruptException(document.File, ex.Message, ex);
        }
    }

    private sealed class ScopeHandle(HostJournal journal) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                journal.CloseScope();
            }
        }
    }
}

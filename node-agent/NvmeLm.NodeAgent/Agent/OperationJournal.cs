using System.Text.Json;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// The agent's record of requested operations by id, next to the hardware journal (<see cref="HostJournal"/>) on the
/// host: <c>operations-&lt;node&gt;.json</c>, kept like the hardware journal in two slot files (<see cref="SlottedFileWriter"/>:
/// one fsync per write), so a crash or a power cut leaves the previous or the new journal, never none or a torn one. Records
/// are staged (<see cref="Stage"/>: Running before the first host command, terminal after it) and made durable together
/// (<see cref="Flush"/>) after the status write that publishes them. "Each id runs at most once with effect" rests on
/// three records: a terminal result here or in the published status is reported again, never re-run; anything else —
/// no record, or Running — is re-run, which the steps make harmless: they re-read the hardware and the host journal,
/// which is synced around every host write, and skip what is already done. Not thread-safe: one agent (one reconcile
/// at a time) owns it.
/// </summary>
public sealed class OperationJournal
{
    private const string FilePrefix = "operations-";
    private const string FileSuffix = ".json";

    private readonly Dictionary<string, OperationRecord> _records = new(StringComparer.Ordinal);
    private readonly SlottedFileWriter _writer;
    private bool _staged;

    /// <param name="writer">How the journal is written (default <see cref="SlottedFileWriter.Durable"/>; tests inject crashes).</param>
    public OperationJournal(string directory, string node, SlottedFileWriter? writer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(node);
        Node = node;
        _writer = writer ?? SlottedFileWriter.Durable;
        // The node name is a validated DNS-1123 subdomain, so it is a safe file name.
        Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), FilePrefix + node + FileSuffix);
        Load();
    }

    public string Node { get; }

    public string Path { get; }

    public IReadOnlyCollection<OperationRecord> Records => _records.Values;

    public OperationRecord? Find(string id) => _records.GetValueOrDefault(id);

    /// <summary>
    /// Records (or replaces) <paramref name="record"/> in memory only; the next <see cref="Flush"/> makes it durable.
    /// An agent that dies before then re-runs the operation, which the steps make harmless (they re-read the hardware)
    /// exactly as for a death mid-command. Inside the critical section no step waits for a synced write of this file:
    /// its results are flushed after the status write that publishes them (which is a record of its own).
    /// </summary>
    public void Stage(OperationRecord record)
    {
        _records[record.Id] = record;
        _staged = true;
    }

    /// <summary>Makes what <see cref="Stage"/> recorded durable (nothing to do when nothing is staged).</summary>
    public void Flush()
    {
        if (_staged)
        {
            Save();
        }
    }

    /// <summary>Writes the file now, staged or not (at start: proves the journal can be written before any operation needs it).</summary>
    public void Write() => Save();

    /// <summary>
    /// Forgets records whose id is no longer requested and that finished (or, still Running, started) before
    /// <paramref name="before"/>; returns how many were removed. Kept until then, a late repeat of the same id is
    /// still answered from the record instead of being run again.
    /// </summary>
    public int Prune(IReadOnlySet<string> requestedIds, DateTime before)
    {
        var stale = _records.Values
            .Where(r => !requestedIds.Contains(r.Id) && (r.FinishedAt ?? r.StartedAt) < before)
            .Select(r => r.Id)
            .ToList();
        foreach (string id in stale)
        {
            _records.Remove(id);
        }

        if (stale.Count > 0)
        {
            Save();
        }

        return stale.Count;
    }

    private void Load()
    {
        SlottedDocument? document;
        OperationJournalFile? file;
        try
        {
            document = SlottedFileWriter.Read(Path);
            if (document is null)
            {
                return;
            }

            file = JsonSerializer.Deserialize(document.Content, AgentJsonContext.Default.OperationJournalFile);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw new JournalCorruptException(Path, ex.Message, ex);
        }

        if (file is null || file.SchemaVersion != OperationJournalFile.CurrentSchemaVersion || file.Node != Node)
        {
            throw new JournalCorruptException(document.File, $"not a schema-version-{OperationJournalFile.CurrentSchemaVersion} operation journal of node '{Node}'");
        }

        foreach (OperationRecord record in file.Operations)
        {
            _records[record.Id] = record;
        }
    }

    private void Save()
    {
        var file = new OperationJournalFile { Node = Node, Operations = _records.Values.OrderBy(r => r.StartedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList() };
        _writer.Write(Path, JsonSerializer.SerializeToUtf8Bytes(file, AgentJsonContext.Default.OperationJournalFile));
        _staged = false;
    }
}

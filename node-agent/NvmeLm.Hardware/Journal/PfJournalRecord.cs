namespace NvmeLm.Hardware.Journal;

/// <summary>
/// The journal record of one physical function: the settings it had before the agent first touched it,
/// which of them the agent changed, the secondaries it configured, and the write in flight (if any).
/// Release restores exactly the recorded originals and nothing else, so the agent never resets what it
/// does not own (DESIGN §5 host journal).
/// </summary>
public sealed record PfJournalRecord
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string Pf { get; init; }

    /// <summary>Who asked for the PF to be configured (a pool, a migration, or the CLI user).</summary>
    public required string Owner { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary><c>sriov_drivers_autoprobe</c> before the agent first changed it.</summary>
    public bool? OriginalAutoprobe { get; init; }

    /// <summary><c>sriov_numvfs</c> before the agent first changed it.</summary>
    public int? OriginalNumVfs { get; init; }

    /// <summary>
    /// The agent wrote (or was about to write) <c>sriov_drivers_autoprobe</c>. Set with the intent, before the write,
    /// so a crash cannot hide a change; release restores <see cref="OriginalAutoprobe"/> only where the value differs.
    /// </summary>
    public bool AutoprobeChangedByAgent { get; init; }

    /// <summary>The agent wrote (or was about to write) <c>sriov_numvfs</c>; see <see cref="AutoprobeChangedByAgent"/>.</summary>
    public bool NumVfsChangedByAgent { get; init; }

    public IReadOnlyList<VfJournalEntry> Vfs { get; init; } = [];

    /// <summary>A write announced and not yet confirmed; null when the journal and the host agree.</summary>
    public JournalIntent? Pending { get; init; }

    /// <summary>The last write that failed with a definite error (it did not take effect), and why.</summary>
    public string? LastFailure { get; init; }

    public VfJournalEntry? FindVf(int scid) => Vfs.FirstOrDefault(v => v.Scid == scid);

    /// <summary>A copy with the entry for <paramref name="scid"/> replaced (or added) by <paramref name="update"/>'s result.</summary>
    public PfJournalRecord WithVf(int scid, Func<VfJournalEntry, VfJournalEntry> update)
    {
        VfJournalEntry current = FindVf(scid) ?? new VfJournalEntry { Scid = scid };
        VfJournalEntry updated = update(current);
        List<VfJournalEntry> vfs = Vfs.Where(v => v.Scid != scid).Append(updated).OrderBy(v => v.Scid).ToList();
        return this with { Vfs = vfs };
    }

    /// <summary>A copy without the entry for <paramref name="scid"/>.</summary>
    public PfJournalRecord WithoutVf(int scid) => this with { Vfs = Vfs.Where(v => v.Scid != scid).ToList() };
}

using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.DevCluster;

/// <summary>What the demo knows about one migration: the stored object as last seen, and when it saw each phase.</summary>
public sealed class TrackedMigration
{
    private readonly List<(MigrationPhase Phase, TimeSpan At)> _phases = [];

    internal TrackedMigration(string name, TimeSpan createdAt)
    {
        Name = name;
        CreatedAt = createdAt;
    }

    public string Name { get; }

    /// <summary>Time since the demo started at which it created the migration.</summary>
    public TimeSpan CreatedAt { get; }

    /// <summary>Time since the demo started at which it saw the migration Succeeded or Failed.</summary>
    public TimeSpan? FinishedAt { get; private set; }

    public V1Alpha1NvmeMigration? Latest { get; private set; }

    public MigrationPhase Phase => Latest?.Status?.Phase ?? MigrationPhase.Pending;

    public bool IsTerminal => Phase is MigrationPhase.Succeeded or MigrationPhase.Failed;

    /// <summary>Phases in the order the demo saw them, each with the time it first saw it.</summary>
    public IReadOnlyList<(MigrationPhase Phase, TimeSpan At)> Phases
    {
        get
        {
            lock (_phases)
            {
                return [.. _phases];
            }
        }
    }

    /// <summary>The step running now (or the last one recorded).</summary>
    public MigrationStep? CurrentStep =>
        Latest?.Status?.Steps?.LastOrDefault(s => s.Result == StepResult.Running) ?? Latest?.Status?.Steps?.LastOrDefault();

    /// <summary>Created → terminal, or created → now while running.</summary>
    public TimeSpan Elapsed(TimeSpan now) => (FinishedAt ?? now) - CreatedAt;

    /// <summary>Records a newer version; returns the phase change it shows, if any.</summary>
    internal MigrationPhase? Observe(V1Alpha1NvmeMigration migration, TimeSpan now)
    {
        Latest = migration;
        var phase = Phase;
        lock (_phases)
        {
            if (_phases.Count > 0 && _phases[^1].Phase == phase)
            {
                return null;
            }

            _phases.Add((phase, now));
        }

        if (IsTerminal)
        {
            FinishedAt ??= now;
        }

        return phase;
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Informers;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The per-node limit on migrations inside their critical section (DESIGN §4.1: Suspend on the source … Resume on the
/// destination). A migration enters only while each of its two nodes has fewer than <see cref="PerNode"/> migrations
/// inside; the rest wait in Ready, still fully prepared, so a node's agent never has more suspended controllers to
/// serve than the limit however many migrations are queued: downtime stays flat as load grows and preparations wait.
/// Occupancy is what this operator admitted (the status write that enters Suspending may not be in the cache yet)
/// plus what the migration cache shows inside the window (migrations a previous leader admitted). A migration that
/// leaves the window (<see cref="Leave"/>) wakes the ones waiting for a slot.
/// </summary>
internal sealed class CriticalSectionGate(int perNode, ObjectCache<V1Alpha1NvmeMigration>? cache)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, (string Source, string Destination)> _admitted = new(StringComparer.Ordinal);
    private readonly HashSet<NamespacedName> _waiting = [];

    /// <summary>Migrations allowed inside their critical section at once on one node (as source or destination).</summary>
    public int PerNode { get; } = perNode >= 1 ? perNode : throw new ArgumentOutOfRangeException(nameof(perNode), perNode, "Must be at least 1.");

    /// <summary>Queues a migration that waits for a slot (set by the host to the controller's queue).</summary>
    public Action<NamespacedName>? Wake { get; set; }

    /// <summary>The phases of the window: the source may be suspended and the destination not yet resumed.</summary>
    public static bool IsInside(MigrationPhase phase) =>
        phase is MigrationPhase.Suspending or MigrationPhase.TransferringState or MigrationPhase.Resuming;

    /// <summary>Admits <paramref name="migration"/> if both its nodes have room (true again for one already admitted); otherwise it waits.</summary>
    public bool TryEnter(V1Alpha1NvmeMigration migration, string sourceNode, string destinationNode)
    {
        var uid = migration.Metadata.Uid!;
        lock (_lock)
        {
            if (_admitted.ContainsKey(uid))
            {
                return true;
            }

            var inside = Inside();
            if (Count(inside, sourceNode, uid) >= PerNode || Count(inside, destinationNode, uid) >= PerNode)
            {
                _waiting.Add(NamespacedName.Of(migration));
                return false;
            }

            _admitted[uid] = (sourceNode, destinationNode);
            _waiting.Remove(NamespacedName.Of(migration));
            return true;
        }
    }

    /// <summary>The migration left its critical section (committed or aborted): its slots go to the waiting ones.</summary>
    public void Leave(string uid)
    {
        List<NamespacedName> waking;
        lock (_lock)
        {
            _admitted.Remove(uid);
            waking = [.. _waiting];
            _waiting.Clear();
        }

        foreach (var key in waking)
        {
            Wake?.Invoke(key);
        }
    }

    /// <summary>
    /// Migrations inside the window by uid: admitted here, or in a window phase in the cache. An admission whose migration
    /// the cache shows gone or past the window (another operator moved it on) is dropped.
    /// </summary>
    private Dictionary<string, (string Source, string Destination)> Inside()
    {
        foreach (var uid in _admitted.Keys.ToList())
        {
            if (cache is not null && (cache.GetByUid(uid) is not { } admitted || MigrationPhases.Of(admitted) > MigrationPhase.Resuming))
            {
                _admitted.Remove(uid);
            }
        }

        var inside = new Dictionary<string, (string Source, string Destination)>(_admitted, StringComparer.Ordinal);
        foreach (var migration in cache?.List() ?? [])
        {
            if (IsInside(MigrationPhases.Of(migration)) && migration.Status is { Source: { } source, Destination: { } destination })
            {
                inside.TryAdd(migration.Metadata.Uid!, (source.Node, destination.Node));
            }
        }

        return inside;
    }

    private static int Count(Dictionary<string, (string Source, string Destination)> inside, string node, string self) =>
        inside.Count(e => e.Key != self && (e.Value.Source == node || e.Value.Destination == node));
}

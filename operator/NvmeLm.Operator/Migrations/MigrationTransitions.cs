using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Resources;
using NvmeLm.Operator.Logging;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Persists phase changes in <c>status</c> (status subresource, resourceVersion-checked, re-read on 409) as a
/// compare-and-set on the phase: a transition from a phase the stored object is no longer in writes nothing,
/// so a stale cache, a restarted operator or a second leader cannot move a migration twice. Each transition is
/// one status write (starting from the caller's copy, so no GET unless it was stale), then one Event and the phase
/// metrics.
/// </summary>
internal sealed class MigrationTransitions(MigrationContext context)
{
    /// <summary>
    /// Moves from <paramref name="from"/> to <paramref name="to"/>, applying <paramref name="mutate"/> and the
    /// phase's conditions. Returns the stored object: in <paramref name="to"/> when this call moved it, else as
    /// it is (someone else moved it; the caller continues from there). Null when the object is gone.
    /// </summary>
    public Task<V1Alpha1NvmeMigration?> MoveAsync(
        V1Alpha1NvmeMigration migration, MigrationPhase from, MigrationPhase to,
        Action<V1Alpha1NvmeMigration.EntityStatus, DateTime> mutate, string message, CancellationToken cancellationToken) =>
        MoveThroughAsync(migration, from, [(to, message)], mutate, cancellationToken);

    /// <summary>
    /// Moves from <paramref name="from"/> through each of <paramref name="hops"/> in one status write, for phases that
    /// need no request of their own in between (Ready, with stateTransfer Agent): the stored phase is the last hop, and
    /// each hop still gets its Event and its phase metrics.
    /// </summary>
    public async Task<V1Alpha1NvmeMigration?> MoveThroughAsync(
        V1Alpha1NvmeMigration migration, MigrationPhase from, IReadOnlyList<(MigrationPhase To, string Message)> hops,
        Action<V1Alpha1NvmeMigration.EntityStatus, DateTime> mutate, CancellationToken cancellationToken)
    {
        var to = hops[^1].To;
        var now = new DateTimeOffset(MicroTime.Now(context.Time));
        var moved = false;
        var downtimeRecorded = false;
        // From the object the caller holds (just read or just stored): a GET only when it turns out stale (409).
        var stored = await context.Migrations.UpdateStatusAsync(migration, current =>
        {
            moved = MigrationPhases.Of(current) == from;
            if (!moved)
            {
                return false;
            }

            var status = current.Status ??= new V1Alpha1NvmeMigration.EntityStatus();
            status.Phase = to;
            status.ObservedGeneration = current.Metadata.Generation;
            downtimeRecorded = RecordsDowntime(status, () => mutate(status, now.UtcDateTime));
            MigrationPhases.ApplyConditions(status, to, current.Metadata.Generation, now);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        if (stored is not null && moved)
        {
            context.OwnWrites.Written(stored);
            ObserveDowntime(stored, downtimeRecorded);
            var previous = from;
            foreach (var (hop, message) in hops)
            {
                context.Metrics.ObserveTransition(migration.Metadata.Uid ?? "", previous, hop, now.UtcDateTime, stored.Status?.StartTime);
                context.Logger.PhaseChanged(NamespacedName.Of(migration), previous, hop, message);
                if (context.Events is { } events)
                {
                    var type = hop is MigrationPhase.RollingBack or MigrationPhase.Failed ? EventType.Warning : EventType.Normal;
                    await events.RecordAsync(stored, type, hop.ToString(), message, cancellationToken).ConfigureAwait(false);
                }

                previous = hop;
            }
        }

        return stored;
    }

    /// <summary>
    /// Updates status without changing the phase (waiting reasons, a re-picked destination, a refreshed plan),
    /// only while the stored phase still is <paramref name="phase"/>; <paramref name="mutate"/> returns false
    /// when nothing changes (no write).
    /// </summary>
    public async Task<V1Alpha1NvmeMigration?> UpdateInPhaseAsync(
        V1Alpha1NvmeMigration migration, MigrationPhase phase,
        Func<V1Alpha1NvmeMigration.EntityStatus, DateTimeOffset, long?, bool> mutate, CancellationToken cancellationToken)
    {
        var now = new DateTimeOffset(MicroTime.Now(context.Time));
        var downtimeRecorded = false;
        var written = false;
        var stored = await context.Migrations.UpdateStatusAsync(migration, current =>
        {
            downtimeRecorded = false;
            written = false;
            if (MigrationPhases.Of(current) != phase)
            {
                return false;
            }

            var status = current.Status ??= new V1Alpha1NvmeMigration.EntityStatus();
            var changed = false;
            downtimeRecorded = RecordsDowntime(status, () => changed = mutate(status, now, current.Metadata.Generation));
            changed |= downtimeRecorded;
            if (status.Phase != phase)
            {
                status.Phase = phase;
                changed = true;
            }

            if (changed)
            {
                status.ObservedGeneration = current.Metadata.Generation;
            }

            written = changed;
            return changed;
        }, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            if (written)
            {
                context.OwnWrites.Written(stored);
            }

            ObserveDowntime(stored, downtimeRecorded);
        }

        return stored;
    }

    /// <summary>Runs <paramref name="mutate"/>; true when it is what recorded the moment the controller ran again.</summary>
    private static bool RecordsDowntime(V1Alpha1NvmeMigration.EntityStatus status, Action mutate)
    {
        var before = status.Downtime?.ResumedAt;
        mutate();
        return before is null && status.Downtime?.ResumedAt is not null;
    }

    /// <summary>
    /// The downtime histogram sees each migration once: from the write that recorded its resume (on the stored object,
    /// so a retry after a conflict that found it already recorded does not count it again).
    /// </summary>
    private void ObserveDowntime(V1Alpha1NvmeMigration stored, bool recorded)
    {
        if (recorded && stored.Status?.Downtime is { } downtime)
        {
            context.Metrics.ObserveDowntime(downtime, stored.Status.Destination?.Node);
        }
    }
}

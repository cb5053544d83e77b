using System.Collections.Concurrent;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Where a reconcile reads its migration from. Each reconcile used to GET it, so as never to act on a cache that has
/// not caught up with the operator's own last write (12 GETs per migration, a quarter of the demo's API requests). Now
/// the resourceVersion of the operator's last write of each migration is remembered, and while the informer's copy is
/// exactly that version the reconcile starts from it (cloned: the cache is never changed) — the same object a GET would
/// return, unless someone else wrote since and the informer has not delivered it yet, which a GET right before the
/// write could miss as well and which the write's own resourceVersion check turns into a conflict and a fresh read.
/// Any other copy (older: the informer is behind our write; newer: someone else wrote) is read again with a GET.
/// </summary>
internal sealed class OwnWrites
{
    private readonly ConcurrentDictionary<NamespacedName, string> _lastWritten = new();

    /// <summary>Remembers <paramref name="stored"/> (as the API server returned it) as this operator's last write of it.</summary>
    public void Written(V1Alpha1NvmeMigration? stored)
    {
        if (stored?.Metadata?.ResourceVersion is { Length: > 0 } version)
        {
            _lastWritten[NamespacedName.Of(stored)] = version;
        }
    }

    /// <summary>The migration to reconcile: the informer's copy when it is this operator's last write, else a GET; null when it is gone.</summary>
    public async Task<V1Alpha1NvmeMigration?> ReadAsync(MigrationContext context, NamespacedName key, CancellationToken cancellationToken)
    {
        if (context.MigrationCache?.Get(key) is { } cached
            && _lastWritten.TryGetValue(key, out var version)
            && cached.Metadata.ResourceVersion == version)
        {
            return ObjectUpdater.Clone(cached);
        }

        var read = await context.Migrations.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            _lastWritten.TryRemove(key, out _);
        }

        return read;
    }
}

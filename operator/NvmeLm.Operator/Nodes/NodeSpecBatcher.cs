using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Nodes;

/// <summary>
/// Coalesces the spec edits many migrations make to one NvmeNode into one resourceVersion-checked write: while a
/// write to a node is in flight, further edits for it queue up and go together in the next write. Without it,
/// migrations sharing a node race each other (and the agent's status writes) into 409 storms. Each edit is a pure
/// function of the object and sees the edits queued before it, so two migrations reaching for one VF are decided
/// in order within the same write.
/// Writes patch the spec only (<see cref="ObjectUpdater.UpdateSpecAsync{T}"/>), so the agent's status writes on the
/// same object never conflict with them, and start from the newest copy at hand (the informer's, or what this
/// batcher stored last, whichever has the higher generation), so a write usually costs no GET.
/// A write runs on its own (one caller giving up must not fail the others' edits) but only as long as the operator
/// runs (<paramref name="stopping"/>): an edit computed by a stopped operator must never land after the next operator
/// decided otherwise (a hold re-made after its release leaks the VF for good), and <see cref="DrainAsync"/> lets the
/// host wait until none is in flight.
/// </summary>
internal sealed class NodeSpecBatcher(ResourceClient<V1Alpha1NvmeNode> nodes, ObjectCache<V1Alpha1NvmeNode> cache, CancellationToken stopping)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Task> _flushes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Alpha1NvmeNode> _lastStored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Pending>> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flushing = new(StringComparer.Ordinal);

    /// <summary>Applies <paramref name="mutate"/> in the next write to <paramref name="node"/>; returns the stored object (null: gone).</summary>
    public Task<V1Alpha1NvmeNode?> UpdateAsync(string node, Func<V1Alpha1NvmeNode, bool> mutate, CancellationToken cancellationToken)
    {
        var pending = new Pending(mutate, new TaskCompletionSource<V1Alpha1NvmeNode?>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_lock)
        {
            if (!_pending.TryGetValue(node, out var queue))
            {
                _pending[node] = queue = new List<Pending>();
            }

            queue.Add(pending);
            start = _flushing.Add(node);
        }

        if (start)
        {
            var flush = Task.Run(() => FlushAsync(node), CancellationToken.None);
            lock (_lock)
            {
                _flushes[node] = flush;
            }
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushAsync(string node)
    {
        while (true)
        {
            List<Pending>? batch;
            lock (_lock)
            {
                if (!_pending.Remove(node, out batch) || batch.Count == 0)
                {
                    _flushing.Remove(node);
                    return;
                }
            }

            try
            {
                // Not the callers' tokens: one caller giving up must not fail the others' edits. The operator's
                // lifetime: a stopped operator's edit must not land later (its retries would, without it, go on for
                // seconds after the next leader took over). A write that lands after a lost lease is still
                // generation-checked and idempotent.
                stopping.ThrowIfCancellationRequested();
                var stored = await nodes.UpdateSpecAsync(NamespacedName.Cluster(node), NewestCopy(node), current =>
                {
                    var changed = false;
                    foreach (var edit in batch)
                    {
                        changed |= edit.Mutate(current);
                    }

                    return changed;
                }, stopping).ConfigureAwait(false);
                Remember(node, stored);
                foreach (var edit in batch)
                {
                    edit.Completion.TrySetResult(stored);
                }
            }
            catch (Exception e)
            {
                foreach (var edit in batch)
                {
                    edit.Completion.TrySetException(e);
                }
            }
        }
    }

    /// <summary>Completes when no write is in flight (after the operator stopped: when the cancelled ones have ended).</summary>
    public async Task DrainAsync()
    {
        Task[] flushes;
        lock (_lock)
        {
            flushes = [.. _flushes.Values];
        }

        await Task.WhenAll(flushes).ConfigureAwait(false);
    }

    private V1Alpha1NvmeNode? NewestCopy(string node)
    {
        var cached = cache.Get(NamespacedName.Cluster(node));
        lock (_lock)
        {
            return _lastStored.TryGetValue(node, out var stored) && (cached is null || stored.Metadata.Uid != cached.Metadata.Uid
                || (stored.Metadata.Generation ?? 0) > (cached.Metadata.Generation ?? 0))
                ? stored
                : cached;
        }
    }

    private void Remember(string node, V1Alpha1NvmeNode? stored)
    {
        lock (_lock)
        {
            if (stored is null)
            {
                _lastStored.Remove(node);
            }
            else
            {
                _lastStored[node] = stored;
            }
        }
    }

    private sealed record Pending(Func<V1Alpha1NvmeNode, bool> Mutate, TaskCompletionSource<V1Alpha1NvmeNode?> Completion);
}

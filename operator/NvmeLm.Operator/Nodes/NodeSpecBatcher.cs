using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Nodes;

/// <summary>
/// Coalesces the spec edits many migrations make to one NvmeNode into one resourceVersion-checked write: while a
/// write to a node is in flight, further edits for it queue up and go together in the next write. Without it,
/// migrations sharing a node race each other (and the agent's status writes) into 409 storms. Each edit is a pure
/// function of the object and sees the edits queued before it, so two migrations reaching for one VF are decided
/// in order within the same write.
/// </summary>
internal sealed class NodeSpecBatcher(ResourceClient<V1Alpha1NvmeNode> nodes)
{
    private readonly object _lock = new();
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
            _ = Task.Run(() => FlushAsync(node), CancellationToken.None);
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
                // Not the callers' tokens: one caller giving up must not fail the others' edits. The write is
                // bounded by ObjectUpdater's attempts, and a write that lands after a lost lease is still
                // resourceVersion-checked and idempotent.
                var stored = await nodes.UpdateAsync(NamespacedName.Cluster(node), current =>
                {
                    var changed = false;
                    foreach (var edit in batch)
                    {
                        changed |= edit.Mutate(current);
                    }

                    return changed;
                }, CancellationToken.None).ConfigureAwait(false);
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

    private sealed record Pending(Func<V1Alpha1NvmeNode, bool> Mutate, TaskCompletionSource<V1Alpha1NvmeNode?> Completion);
}

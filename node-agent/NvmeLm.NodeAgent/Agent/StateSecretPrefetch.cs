using System.Security.Cryptography;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Client;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Brings a waiting RestoreState's state to the destination agent before its device downtime needs it (issue 12): once
/// the source node lists the SaveState the restore waits on (the operator opened the window), the state Secret is
/// watched by name, so the bytes the source agent writes into it arrive with the watch event — before the source's
/// SaveState result does — instead of by a GET inside the downtime (1–6 ms on the one-migration demo). The RestoreState
/// takes them only when their SHA-256 is the digest the source reported (<see cref="TryTake"/>); otherwise, and
/// whenever the watch is not there, it reads the Secret as before. One watch per awaited restore, stopped with the
/// wait (<see cref="Retain"/>); a watch that fails is not retried (the read is the fallback). RBAC: watch on Secrets in
/// the release namespace, where the agent can already get any of them.
/// </summary>
public sealed class StateSecretPrefetch : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly ResourceClient<V1Secret> _secrets;
    private readonly int _maxBytes;
    private readonly ILogger _logger;
    private readonly Dictionary<(string Node, string OperationId), SecretKey> _expected = [];
    private readonly Dictionary<SecretKey, Watch> _watches = [];
    private readonly List<Task> _stopping = [];

    public StateSecretPrefetch(ResourceClient<V1Secret> secrets, int maxBytes, ILogger logger)
    {
        _secrets = secrets;
        _maxBytes = maxBytes;
        _logger = logger;
    }

    /// <summary>Secrets watched now (for tests and diagnostics).</summary>
    public IReadOnlyCollection<string> WatchedSecrets
    {
        get
        {
            lock (_lock)
            {
                return [.. _watches.Keys.Select(k => k.Namespace + "/" + k.Name)];
            }
        }
    }

    /// <summary>Remembers which Secret the restore waiting on <paramref name="source"/> will read (before the source's SaveState is requested).</summary>
    public void Expect(OperationReference source, string ns, string name)
    {
        lock (_lock)
        {
            _expected[(source.Node, source.OperationId)] = new SecretKey(ns, name);
        }
    }

    /// <summary>The source node lists the awaited SaveState: starts watching its Secret (once).</summary>
    public void OnRequested(OperationReference source)
    {
        lock (_lock)
        {
            if (!_expected.TryGetValue((source.Node, source.OperationId), out SecretKey key) || _watches.ContainsKey(key))
            {
                return;
            }

            var stop = new CancellationTokenSource();
            var watch = new Watch(stop);
            _watches[key] = watch;
            watch.Run = Task.Run(() => WatchAsync(key, watch, stop.Token), CancellationToken.None);
        }
    }

    /// <summary>
    /// The state the watch delivered for the Secret, if its SHA-256 is <paramref name="expectedSha256"/> and it is within
    /// the cap; null otherwise (the caller reads the Secret, which reports what is wrong with it).
    /// </summary>
    public byte[]? TryTake(string ns, string name, string? expectedSha256)
    {
        byte[]? data;
        lock (_lock)
        {
            data = _watches.TryGetValue(new SecretKey(ns, name), out Watch? watch) ? watch.Data : null;
        }

        return data is { Length: > 0 } && data.Length <= _maxBytes && expectedSha256 is not null
            && string.Equals(Convert.ToHexStringLower(SHA256.HashData(data)), expectedSha256, StringComparison.OrdinalIgnoreCase)
            ? data
            : null;
    }

    /// <summary>Keeps only what the restores still waiting on <paramref name="awaited"/> need; stops every other watch.</summary>
    public void Retain(IReadOnlyCollection<OperationReference> awaited)
    {
        lock (_lock)
        {
            var keep = awaited.Select(r => (r.Node, r.OperationId)).ToHashSet();
            foreach (var gone in _expected.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                _expected.Remove(gone);
            }

            var needed = _expected.Values.ToHashSet();
            foreach (var (key, watch) in _watches.Where(w => !needed.Contains(w.Key)).ToList())
            {
                _watches.Remove(key);
                _stopping.RemoveAll(t => t.IsCompleted);
                _stopping.Add(StopAsync(watch));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> stopping;
        lock (_lock)
        {
            stopping = [.. _watches.Values.Select(StopAsync), .. _stopping];
            _watches.Clear();
            _stopping.Clear();
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
    }

    private async Task WatchAsync(SecretKey key, Watch watch, CancellationToken cancellationToken)
    {
        // No resourceVersion: the watch starts with the Secret as it is (an ADDED event), then its changes.
        var options = new ListOptions { FieldSelector = "metadata.name=" + key.Name, TimeoutSeconds = 300 };
        try
        {
            await foreach (WatchEvent<V1Secret> change in _secrets.WatchAsync(key.Namespace, options, cancellationToken).ConfigureAwait(false))
            {
                if (change.Type is WatchEventType.Added or WatchEventType.Modified
                    && change.Object?.Data is { } data && data.TryGetValue(StateSecretStore.DataKey, out byte[]? state) && state is { Length: > 0 })
                {
                    lock (_lock)
                    {
                        watch.Data = state;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Best effort: the RestoreState reads the Secret instead.
            AgentLog.StatePrefetchFailed(_logger, key.Namespace, key.Name, ex.Message);
        }
    }

    private static async Task StopAsync(Watch watch)
    {
        await watch.Stop.CancelAsync().ConfigureAwait(false);
        await (watch.Run ?? Task.CompletedTask).ConfigureAwait(false);
        watch.Stop.Dispose();
    }

    private readonly record struct SecretKey(string Namespace, string Name);

    private sealed class Watch(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;

        public Task? Run { get; set; }

        /// <summary>The state bytes as the watch last delivered them (guarded by the owner's lock).</summary>
        public byte[]? Data { get; set; }
    }
}

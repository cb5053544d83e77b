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
    private readonly BackgroundWatches<SecretKey, Delivered> _watches = new();

    public StateSecretPrefetch(ResourceClient<V1Secret> secrets, int maxBytes, ILogger logger)
    {
        _secrets = secrets;
        _maxBytes = maxBytes;
        _logger = logger;
    }

    /// <summary>Secrets watched now (for tests and diagnostics).</summary>
    public IReadOnlyCollection<string> WatchedSecrets => [.. _watches.Keys.Select(k => k.Namespace + "/" + k.Name)];

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
        SecretKey key;
        lock (_lock)
        {
            if (!_expected.TryGetValue((source.Node, source.OperationId), out key))
            {
                return;
            }
        }

        _watches.GetOrStart(key, () => new Delivered(), (delivered, stop) => WatchAsync(key, delivered, stop));
    }

    /// <summary>
    /// The state the watch delivered for the Secret, if its SHA-256 is <paramref name="expectedSha256"/> and it is within
    /// the cap; null otherwise (the caller reads the Secret, which reports what is wrong with it).
    /// </summary>
    public byte[]? TryTake(string ns, string name, string? expectedSha256)
    {
        byte[]? data = _watches.Find(new SecretKey(ns, name))?.Data;
        return data is { Length: > 0 } && data.Length <= _maxBytes && expectedSha256 is not null
            && string.Equals(Convert.ToHexStringLower(SHA256.HashData(data)), expectedSha256, StringComparison.OrdinalIgnoreCase)
            ? data
            : null;
    }

    /// <summary>Keeps only what the restores still waiting on <paramref name="awaited"/> need; stops every other watch.</summary>
    public void Retain(IReadOnlyCollection<OperationReference> awaited)
    {
        HashSet<SecretKey> needed;
        lock (_lock)
        {
            var keep = awaited.Select(r => (r.Node, r.OperationId)).ToHashSet();
            foreach (var gone in _expected.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                _expected.Remove(gone);
            }

            needed = [.. _expected.Values];
        }

        _watches.StopUnless(needed.Contains);
    }

    public ValueTask DisposeAsync() => _watches.DisposeAsync();

    private async Task WatchAsync(SecretKey key, Delivered delivered, CancellationToken cancellationToken)
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
                    delivered.Data = state;
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

    private readonly record struct SecretKey(string Namespace, string Name);

    /// <summary>The state bytes as a Secret's watch last delivered them (replaced whole, read whole).</summary>
    private sealed class Delivered
    {
        private byte[]? _data;

        public byte[]? Data
        {
            get => Volatile.Read(ref _data);
            set => Volatile.Write(ref _data, value);
        }
    }
}

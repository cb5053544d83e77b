using System.Collections.Concurrent;
using System.Diagnostics;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;

namespace NvmeLm.DevCluster;

/// <summary>
/// Follows the demo's NvmeMigrations through an informer (list + watch, like <c>kubectl get -w</c>) and keeps,
/// per migration, the latest object and when each phase was first seen. Its requests carry the admin identity,
/// so they are not counted as operator or agent traffic.
/// </summary>
public sealed class MigrationTracker : IResourceEventHandler<V1Alpha1NvmeMigration>, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TrackedMigration> _tracked = new(StringComparer.Ordinal);
    private readonly Informer<V1Alpha1NvmeMigration> _informer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock;
    private readonly SemaphoreSlim _changed = new(0);
    private Task _run = Task.CompletedTask;

    public MigrationTracker(ResourceClient<V1Alpha1NvmeMigration> migrations, Stopwatch clock)
    {
        _clock = clock;
        _informer = new Informer<V1Alpha1NvmeMigration>(migrations, new InformerOptions { Namespace = "default", StallTimeout = TimeSpan.FromSeconds(30) });
        _informer.AddHandler(this);
    }

    /// <summary>Raised (on the informer's loop) when a tracked migration enters a phase.</summary>
    public event Action<TrackedMigration, MigrationPhase>? PhaseChanged;

    public TimeSpan Now => _clock.Elapsed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run = Task.Run(() => _informer.RunAsync(_stop.Token), CancellationToken.None);
        return _informer.WaitForCacheSyncAsync(cancellationToken);
    }

    /// <summary>Call right before creating the migration so its latency starts at creation.</summary>
    public TrackedMigration Track(string name) => _tracked.GetOrAdd(name, n => new TrackedMigration(n, _clock.Elapsed));

    public IReadOnlyList<TrackedMigration> Snapshot() => [.. _tracked.Values.OrderBy(t => t.CreatedAt)];

    /// <summary>Completes when every tracked migration is Succeeded or Failed.</summary>
    public async Task WaitAllTerminalAsync(CancellationToken cancellationToken)
    {
        while (!_tracked.Values.All(t => t.IsTerminal))
        {
            await _changed.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    void IResourceEventHandler<V1Alpha1NvmeMigration>.OnAdd(V1Alpha1NvmeMigration obj) => Observe(obj);

    void IResourceEventHandler<V1Alpha1NvmeMigration>.OnUpdate(V1Alpha1NvmeMigration oldObj, V1Alpha1NvmeMigration newObj) => Observe(newObj);

    void IResourceEventHandler<V1Alpha1NvmeMigration>.OnDelete(V1Alpha1NvmeMigration obj)
    {
        // A deleted migration keeps its last seen state in the summary.
    }

    private void Observe(V1Alpha1NvmeMigration migration)
    {
        if (!_tracked.TryGetValue(migration.Metadata.Name, out var tracked))
        {
            return;
        }

        if (tracked.Observe(migration, _clock.Elapsed) is { } phase)
        {
            PhaseChanged?.Invoke(tracked, phase);
            _changed.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _stop.Dispose();
        _changed.Dispose();
    }
}

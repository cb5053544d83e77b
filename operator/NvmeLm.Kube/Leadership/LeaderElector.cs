using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Logging;
using NvmeLm.Kube.Metrics;

namespace NvmeLm.Kube.Leadership;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, avoiding the C# client's known faults:
/// <see cref="RunAsync"/> does not return when leadership is lost, the process keeps competing and can lead
/// again (csharp #1467); every API error is surfaced through <see cref="LastError"/>, <see cref="Error"/> and
/// the log (#1584, #1593); another holder's <c>leaseDurationSeconds</c> is used, not ours (#1640); and
/// expiry is judged both by how long the record has been seen unchanged locally and by the lease's own
/// <c>renewTime</c> (#1599). Each term has its own <see cref="CancellationToken"/>, cancelled when the term ends.
/// </summary>
public sealed class LeaderElector
{
    private readonly ResourceClient<V1Lease> _leases;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Prometheus.Gauge.Child _leaderGauge;
    private readonly object _lock = new();
    private readonly NamespacedName _key;
    private TaskCompletionSource<CancellationToken> _nextTerm = NewTermSource();
    private CancellationTokenSource? _term;
    private (string? Holder, DateTime? RenewTime, string? ResourceVersion) _observedRecord;
    private long _observedAt;
    private Exception? _lastError;
    private int _running;
    private long _attempts;

    public LeaderElector(
        Kubernetes kubernetes, LeaderElectionOptions options, ILogger? logger = null, KubeMetrics? metrics = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        _leases = new ResourceClient<V1Lease>(kubernetes);
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _leaderGauge = (metrics ?? KubeMetrics.Default).LeaderStatus.WithLabels(options.LeaseName);
        _key = new NamespacedName(options.LeaseNamespace, options.LeaseName);
    }

    public string Identity => _options.Identity;

    public bool IsLeader
    {
        get
        {
            lock (_lock)
            {
                return _term is not null;
            }
        }
    }

    /// <summary>
    /// Acquire/renew attempts finished so far, each with its outcome applied (leadership begun or ended). The next
    /// attempt is already scheduled when this counts up, so a test on a fake clock can advance straight to it.
    /// </summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>The last error talking to the API (null after a success).</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>Raised for every failed acquire/renew/release call.</summary>
    public event Action<Exception>? Error;

    public event Action? StartedLeading;

    public event Action<string>? StoppedLeading;

    /// <summary>Waits until this process leads; the token is cancelled when that term ends.</summary>
    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _nextTerm.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Competes for and holds the lease until <paramref name="cancellationToken"/> fires; then releases it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"The elector for lease {_key} is already running.");
        }

        var lastRenew = _time.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var outcome = await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
                if (IsLeader)
                {
                    if (outcome == Outcome.Held)
                    {
                        lastRenew = _time.GetTimestamp();
                    }
                    else if (outcome == Outcome.HeldByOther)
                    {
                        EndTerm("the lease is held by " + (_observedRecord.Holder ?? "someone else"));
                    }
                    else if (_time.GetElapsedTime(lastRenew) >= _options.RenewDeadline)
                    {
                        EndTerm($"no successful renewal within {_options.RenewDeadline}");
                    }
                }
                else if (outcome == Outcome.Held)
                {
                    lastRenew = _time.GetTimestamp();
                    BeginTerm();
                }

                Task next = Task.Delay(Jitter(_options.RetryPeriod), _time, cancellationToken);
                Interlocked.Increment(ref _attempts);
                await next.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        finally
        {
            if (IsLeader)
            {
                EndTerm("shutdown");
                if (_options.ReleaseOnShutdown)
                {
                    await ReleaseAsync().ConfigureAwait(false);
                }
            }

            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<Outcome> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await TryAcquireOrRenewCoreAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lastError, null);
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // Someone wrote the lease between our read and write: not an error. The next round re-reads it;
            // a leader keeps its term until that shows another holder or the renew deadline passes.
            return Outcome.Failed;
        }
        catch (Exception e)
        {
            Surface(e);
            return Outcome.Failed;
        }
    }

    private async Task<Outcome> TryAcquireOrRenewCoreAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var lease = await _leases.TryGetAsync(_key, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            var created = await _leases.CreateAsync(new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = _options.LeaseName, NamespaceProperty = _options.LeaseNamespace },
                Spec = new V1LeaseSpec
                {
                    HolderIdentity = Identity,
                    LeaseDurationSeconds = (int)_options.LeaseDuration.TotalSeconds,
                    AcquireTime = now,
                    RenewTime = now,
                    LeaseTransitions = 0,
                },
            }, cancellationToken).ConfigureAwait(false);
            Observe(created);
            return Outcome.Held;
        }

        Observe(lease);
        var spec = lease.Spec ?? new V1LeaseSpec();
        var heldByOther = !string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != Identity;
        if (heldByOther && !IsExpired(spec, now))
        {
            return Outcome.HeldByOther;
        }

        if (spec.HolderIdentity != Identity)
        {
            spec.AcquireTime = now;
            spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
        }

        spec.HolderIdentity = Identity;
        spec.LeaseDurationSeconds = (int)_options.LeaseDuration.TotalSeconds;
        spec.RenewTime = now;
        lease.Spec = spec;

        // PUT carries the resourceVersion we read: a concurrent writer makes it fail with 409.
        var updated = await _leases.ReplaceAsync(lease, cancellationToken).ConfigureAwait(false);
        Observe(updated);
        return Outcome.Held;
    }

    private bool IsExpired(V1LeaseSpec spec, DateTime now)
    {
        // The holder's own duration decides, not ours (csharp #1640).
        var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? (int)_options.LeaseDuration.TotalSeconds);
        var unchangedFor = _time.GetElapsedTime(Volatile.Read(ref _observedAt));
        if (unchangedFor >= duration)
        {
            return true;
        }

        // A lease last renewed long ago (holder crashed before we started) need not be watched for a full
        // duration; the tolerance keeps a holder with a slow clock safe.
        return spec.RenewTime is { } renewTime
            && DateTime.SpecifyKind(renewTime, DateTimeKind.Utc) + duration + _options.ClockSkewTolerance < now;
    }

    private void Observe(V1Lease lease)
    {
        var record = (lease.Spec?.HolderIdentity, lease.Spec?.RenewTime, lease.Metadata?.ResourceVersion);
        if (record != _observedRecord)
        {
            _observedRecord = record;
            Volatile.Write(ref _observedAt, _time.GetTimestamp());
        }
    }

    private async Task ReleaseAsync()
    {
        // The run token is already cancelled; give the release its own short budget.
        using var timeout = new CancellationTokenSource(_options.RenewDeadline);
        try
        {
            var lease = await _leases.TryGetAsync(_key, timeout.Token).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = _time.GetUtcNow().UtcDateTime;
            await _leases.ReplaceAsync(lease, timeout.Token).ConfigureAwait(false);
            _logger.Released(_options.LeaseName, Identity);
        }
        catch (Exception e)
        {
            Surface(e);
        }
    }

    private void BeginTerm()
    {
        lock (_lock)
        {
            _term = new CancellationTokenSource();
            _nextTerm.TrySetResult(_term.Token);
        }

        _leaderGauge.Set(1);
        _logger.BecameLeader(_options.LeaseName, Identity);
        Notify(() => StartedLeading?.Invoke());
    }

    private void EndTerm(string reason)
    {
        CancellationTokenSource? term;
        lock (_lock)
        {
            term = _term;
            _term = null;
            _nextTerm = NewTermSource();
        }

        _leaderGauge.Set(0);
        _logger.LostLeadership(_options.LeaseName, Identity, reason);

        // Cancelled, not disposed: controllers may still hold linked tokens of this term.
        term?.Cancel();
        Notify(() => StoppedLeading?.Invoke(reason));
    }

    private void Surface(Exception e)
    {
        Volatile.Write(ref _lastError, e);
        _logger.LeaseError(_options.LeaseName, Identity, e);
        try
        {
            Error?.Invoke(e);
        }
        catch (Exception handlerError)
        {
            _logger.HandlerFailed("lease " + _options.LeaseName, handlerError);
        }
    }

    /// <summary>Runs a subscriber callback; a throwing subscriber must not stop the election loop.</summary>
    private void Notify(Action callback)
    {
        try
        {
            callback();
        }
        catch (Exception e)
        {
            Surface(e);
        }
    }

    private static TimeSpan Jitter(TimeSpan period) => period * (1 + Random.Shared.NextDouble() * 0.2);

    private static TaskCompletionSource<CancellationToken> NewTermSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private enum Outcome
    {
        Held,
        HeldByOther,
        Failed,
    }
}

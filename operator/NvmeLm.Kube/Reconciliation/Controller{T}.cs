using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Leadership;
using NvmeLm.Kube.Logging;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Queue;

namespace NvmeLm.Kube.Reconciliation;

/// <summary>
/// Wires an informer to a work queue to a reconciler: every add/update/delete of a watched object queues its
/// key; workers reconcile keys (never one key twice at once) and act on the <see cref="ReconcileResult"/>.
/// With a <see cref="LeaderElector"/>, workers run only during a leadership term and the term's token is
/// handed to the reconciler, so losing the lease cancels in-flight work; the informer keeps the cache warm
/// meanwhile, and each new term queues every cached key. The caller runs the informers
/// (<see cref="Informer{T}.RunAsync"/>): one informer may feed several controllers.
/// </summary>
public sealed class Controller<T> : IResourceEventHandler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Informer<T> _informer;
    private readonly IReconciler _reconciler;
    private readonly ControllerOptions _options;
    private readonly LeaderElector? _leaderElector;
    private readonly ILogger _logger;
    private readonly KubeMetrics _metrics;

    public Controller(
        Informer<T> informer,
        IReconciler reconciler,
        ControllerOptions options,
        LeaderElector? leaderElector = null,
        ILogger? logger = null,
        KubeMetrics? metrics = null)
    {
        _informer = informer ?? throw new ArgumentNullException(nameof(informer));
        _reconciler = reconciler ?? throw new ArgumentNullException(nameof(reconciler));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.MaxConcurrentReconciles < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrentReconciles, "MaxConcurrentReconciles must be at least 1.");
        }

        _leaderElector = leaderElector;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? KubeMetrics.Default;
        Queue = new WorkQueue<NamespacedName>(
            new WorkQueueOptions { Name = options.Name, MaxConcurrency = options.MaxConcurrentReconciles, Backoff = options.Backoff },
            _metrics);
        _informer.AddHandler(this);
    }

    public string Name => _options.Name;

    public WorkQueue<NamespacedName> Queue { get; }

    /// <summary>
    /// Raised after each reconcile that ran to an outcome, with its key and result (shutdown cancellations are not
    /// outcomes). Reconciles of one key never overlap, so a subscriber can tell that a reconcile began after an event.
    /// </summary>
    public event Action<NamespacedName, ReconcileResult>? Reconciled;

    /// <summary>Also reconcile when objects of another kind change, mapped to keys of this controller's kind.</summary>
    public void Watches<TOther>(Informer<TOther> informer, Func<TOther, IEnumerable<NamespacedName>> map)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        ArgumentNullException.ThrowIfNull(map);
        informer.AddHandler(new MappingEventHandler<TOther>(Queue, map));
    }

    /// <summary>Waits for the informer's cache, then reconciles until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _informer.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
        using var resync = _options.ResyncPeriod is { } period ? new Timer(_ => EnqueueAll(), null, period, period) : null;
        try
        {
            if (_leaderElector is null)
            {
                await RunWorkersAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                var term = await _leaderElector.WaitForLeadershipAsync(cancellationToken).ConfigureAwait(false);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(term, cancellationToken);

                // A new leader cannot know what the previous one left half-done: look at everything.
                EnqueueAll();
                await RunWorkersAsync(linked.Token).ConfigureAwait(false);
                if (!cancellationToken.IsCancellationRequested)
                {
                    _logger.TermEnded(Name);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    void IResourceEventHandler<T>.OnAdd(T obj) => Queue.Add(NamespacedName.Of(obj));

    void IResourceEventHandler<T>.OnUpdate(T oldObj, T newObj) => Queue.Add(NamespacedName.Of(newObj));

    void IResourceEventHandler<T>.OnDelete(T obj) => Queue.Add(NamespacedName.Of(obj));

    private void EnqueueAll()
    {
        foreach (var key in _informer.Cache.Keys())
        {
            Queue.Add(key);
        }
    }

    private async Task RunWorkersAsync(CancellationToken cancellationToken)
    {
        var workers = Enumerable.Range(0, _options.MaxConcurrentReconciles)
            .Select(_ => Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            NamespacedName key;
            try
            {
                key = await Queue.DequeueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await ProcessAsync(key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        // Every log line of this reconcile (the reconciler's too, same logger factory) carries the key.
        using var scope = _logger.BeginScope("{Controller} {Key}", Name, key);
        var active = _metrics.ActiveWorkers.WithLabels(Name);
        active.Inc();
        var stopwatch = Stopwatch.StartNew();
        ReconcileResult result;
        try
        {
            result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false)
                ?? ReconcileResult.Failure("The reconciler returned null.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown or a lost term, not a failure: keep the key for the next term (Done re-queues it).
            Queue.Add(key);
            return;
        }
        catch (Exception e)
        {
            result = ReconcileResult.Failure(e.Message, e);
        }
        finally
        {
            _metrics.ReconcileTime.WithLabels(Name).Observe(stopwatch.Elapsed.TotalSeconds);
            active.Dec();
        }

        Apply(key, result);
        try
        {
            Reconciled?.Invoke(key, result);
        }
        catch (Exception e)
        {
            // A subscriber's bug must not stop this worker.
            _logger.HandlerFailed(Name, e);
        }
    }

    private void Apply(NamespacedName key, ReconcileResult result)
    {
        switch (result)
        {
            case ReconcileResult.Succeeded { RequeueAfter: { } after }:
                Queue.Forget(key);
                Queue.AddAfter(key, after);
                Count("requeue_after");
                _logger.Reconciled(Name, key, $"requeue after {after}");
                break;
            case ReconcileResult.Succeeded:
                Queue.Forget(key);
                Count("success");
                _logger.Reconciled(Name, key, "success");
                break;
            case ReconcileResult.Failed failed:
                Queue.AddRateLimited(key);
                Count("error");
                _metrics.ReconcileErrors.WithLabels(Name).Inc();
                _logger.ReconcileFailed(Name, key, Queue.Failures(key), failed.Message, failed.Error);
                break;
            case ReconcileResult.TerminalFailure terminal:
                // No retry: a new event on the object (someone fixes it) queues the key again.
                Queue.Forget(key);
                Count("error");
                _metrics.ReconcileErrors.WithLabels(Name).Inc();
                _metrics.TerminalReconcileErrors.WithLabels(Name).Inc();
                _logger.ReconcileTerminal(Name, key, terminal.Message, terminal.Error);
                break;
        }
    }

    private void Count(string result) => _metrics.ReconcileTotal.WithLabels(Name, result).Inc();
}

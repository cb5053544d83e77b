using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Resources;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// The other NvmeNodes this agent's RestoreState operations wait on (<c>stateFrom</c>, DESIGN §4.1): the operator
/// requests the destination's RestoreState and Resume before the source is suspended, and the destination agent acts
/// the moment the source agent reports its SaveState Succeeded, without an operator round trip. One informer per
/// source node (<c>fieldSelector=metadata.name=&lt;node&gt;</c>), started when a restore first waits on that node and
/// stopped when none does; when an awaited operation reaches a result, <see cref="Wake"/> queues this agent's own
/// NvmeNode so the next sync runs the restore at once. When the source node first lists an awaited operation (the
/// operator opened the window), <see cref="Requested"/> says so: the state Secret is worth watching from then on
/// (<see cref="StateSecretPrefetch"/>).
/// </summary>
public sealed class StateSourceWatch : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly ResourceClient<V1Alpha1NvmeNode> _nodes;
    private readonly InformerOptions _template;
    private readonly ILogger _logger;
    private readonly KubeMetrics? _metrics;
    private readonly BackgroundWatches<string, Informer<V1Alpha1NvmeNode>> _watched = new(StringComparer.Ordinal);
    private readonly HashSet<(string Node, string OperationId)> _awaited = [];
    private readonly Dictionary<(string Node, string OperationId), DateTime> _seen = [];
    private readonly HashSet<(string Node, string OperationId)> _requested = [];
    private readonly TimeProvider _time;
    private bool _woken;

    public StateSourceWatch(ResourceClient<V1Alpha1NvmeNode> nodes, InformerOptions template, ILogger logger, KubeMetrics? metrics, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _nodes = nodes;
        _template = template;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Queues this agent's NvmeNode (set by the host once its controller exists).</summary>
    public Action? Wake { get; set; }

    /// <summary>Called once per awaited operation when its source node first lists it in its spec.</summary>
    public Action<OperationReference>? Requested { get; set; }

    /// <summary>Source nodes watched now (for tests and diagnostics).</summary>
    public IReadOnlyCollection<string> WatchedNodes => _watched.Keys;

    /// <summary>
    /// The result of <paramref name="reference"/> as its node last reported it, or null while it has none (or the
    /// watch on that node has not listed yet). Starts watching the node and remembers the reference as awaited until
    /// the next <see cref="Retain"/>.
    /// </summary>
    public NodeOperationResult? Find(OperationReference reference)
    {
        lock (_lock)
        {
            _awaited.Add((reference.Node, reference.OperationId));
        }

        Informer<V1Alpha1NvmeNode> informer = _watched.GetOrStart(reference.Node, () => Informer(reference.Node), (i, stop) => i.RunAsync(stop));
        V1Alpha1NvmeNode? source = informer.Cache.Get(NamespacedName.Cluster(reference.Node));
        NotifyRequested(reference.Node, source);
        NodeOperationResult? result = ResultIn(source, reference.OperationId);
        if (result is { State: not OperationState.Running })
        {
            lock (_lock)
            {
                _seen.TryAdd((reference.Node, reference.OperationId), MicroTime.Now(_time));
            }
        }

        return result;
    }

    /// <summary>
    /// When this agent first knew <paramref name="reference"/>'s final result (its watch delivered it, or a
    /// <see cref="Find"/> read it): the trace's "destination agent sees the state". Null while it has none.
    /// </summary>
    public DateTime? SeenAt(OperationReference reference)
    {
        lock (_lock)
        {
            return _seen.TryGetValue((reference.Node, reference.OperationId), out DateTime seen) ? seen : null;
        }
    }

    /// <summary>
    /// Keeps watching only the nodes of <paramref name="awaited"/> (the references restores still wait on after a
    /// sync) and forgets every other awaited reference.
    /// </summary>
    public void Retain(IReadOnlyCollection<OperationReference> awaited)
    {
        lock (_lock)
        {
            _awaited.Clear();
            foreach (var reference in awaited)
            {
                _awaited.Add((reference.Node, reference.OperationId));
            }

            foreach (var done in _seen.Keys.Where(k => !_awaited.Contains(k)).ToList())
            {
                _seen.Remove(done);
            }

            _requested.IntersectWith(_awaited);
        }

        var nodes = awaited.Select(r => r.Node).ToHashSet(StringComparer.Ordinal);
        _watched.StopUnless(nodes.Contains);
    }

    /// <summary>
    /// True once after an awaited operation got a result: the next sync must run even though this node's spec did not
    /// change (the reconciler otherwise takes an unchanged generation for the echo of its own status write).
    /// </summary>
    public bool TakeWake()
    {
        lock (_lock)
        {
            var woken = _woken;
            _woken = false;
            return woken;
        }
    }

    public ValueTask DisposeAsync() => _watched.DisposeAsync();

    /// <summary>An informer on the one NvmeNode <paramref name="node"/>, reporting its changes here.</summary>
    private Informer<V1Alpha1NvmeNode> Informer(string node)
    {
        var informer = new Informer<V1Alpha1NvmeNode>(_nodes, _template with { FieldSelector = "metadata.name=" + node }, _logger, _metrics);
        informer.AddHandler(new ChangeHandler(this, node));
        AgentLog.WatchingStateSource(_logger, node);
        return informer;
    }

    private void OnChanged(string node, V1Alpha1NvmeNode obj)
    {
        NotifyRequested(node, obj);
        bool wake = false;
        lock (_lock)
        {
            foreach (var awaited in _awaited.Where(a => a.Node == node && ResultIn(obj, a.OperationId) is { State: not OperationState.Running }))
            {
                _seen.TryAdd(awaited, MicroTime.Now(_time));
                wake = true;
            }

            _woken |= wake;
        }

        if (wake)
        {
            Wake?.Invoke();
        }
    }

    /// <summary>Raises <see cref="Requested"/> for each awaited operation <paramref name="obj"/> lists for the first time.</summary>
    private void NotifyRequested(string node, V1Alpha1NvmeNode? obj)
    {
        if (obj?.Spec?.Operations is not { Count: > 0 } operations)
        {
            return;
        }

        List<OperationReference> requested;
        lock (_lock)
        {
            requested = _awaited
                .Where(a => a.Node == node && !_requested.Contains(a) && operations.Any(o => o.Id == a.OperationId))
                .Select(a => new OperationReference { Node = a.Node, OperationId = a.OperationId })
                .ToList();
            foreach (var reference in requested)
            {
                _requested.Add((reference.Node, reference.OperationId));
            }
        }

        foreach (var reference in requested)
        {
            Requested?.Invoke(reference);
        }
    }

    private static NodeOperationResult? ResultIn(V1Alpha1NvmeNode? node, string operationId) =>
        node?.Status?.OperationResults?.FirstOrDefault(r => r.Id == operationId);

    private sealed class ChangeHandler(StateSourceWatch owner, string node) : IResourceEventHandler<V1Alpha1NvmeNode>
    {
        public void OnAdd(V1Alpha1NvmeNode obj) => owner.OnChanged(node, obj);

        public void OnUpdate(V1Alpha1NvmeNode oldObj, V1Alpha1NvmeNode newObj) => owner.OnChanged(node, newObj);

        public void OnDelete(V1Alpha1NvmeNode obj)
        {
            // A deleted source node answers nothing more; the operator fails the migration on its own.
        }
    }
}

using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;

namespace NvmeLm.Operator.Tests.Infrastructure;

/// <summary>
/// A node agent written for the tests, following the operator's NvmeNode contract (operator/NvmeLm.Operator
/// README "NvmeNode contract"): it creates its own NvmeNode, applies spec.physicalFunctions to fake hardware
/// (numVfs, resources, driver, roles with owner), performs spec.operations in order, each id at most once,
/// and reports inventory, operation results, observedGeneration and a heartbeat in status. Faults: fail or
/// hang an operation type, refuse a role. It records every hardware action so tests can assert none happened.
/// </summary>
public sealed partial class FakeNodeAgent : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Kubernetes _client;
    private readonly ResourceClient<V1Alpha1NvmeNode> _nodes;
    private readonly ResourceClient<V1Secret> _secrets;
    private readonly Dictionary<string, (FakePf Pf, int NumVfs, Dictionary<int, FakeVf> Vfs)> _pfs;
    private readonly Dictionary<string, NodeOperationResult> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _executions = new(StringComparer.Ordinal);
    private readonly List<string> _actions = new();
    private readonly CancellationTokenSource _stop = new();
    private string? _syncError;
    private string? _lastStatusJson;
    private DateTime _lastWrite;
    private Task? _loop;
    private int _disposed;

    public FakeNodeAgent(EmbeddedApiServer server, string nodeName, params FakePf[] pfs)
    {
        NodeName = nodeName;
        _client = server.CreateClient(Identity);
        _nodes = new ResourceClient<V1Alpha1NvmeNode>(_client);
        _secrets = new ResourceClient<V1Secret>(_client);
        _pfs = pfs.ToDictionary(pf => pf.Address, pf => (pf, 0, new Dictionary<int, FakeVf>()), StringComparer.Ordinal);
    }

    public string NodeName { get; }

    /// <summary>The API identity of this agent (audit records are attributed to it).</summary>
    public string Identity => "agent-" + NodeName;

    /// <summary>Hardware actions in order, e.g. <c>Hold 0000:01:00.1 ResumeTarget</c>, <c>Suspend 0000:01:00.1</c>.</summary>
    public IReadOnlyList<string> Actions
    {
        get
        {
            lock (_lock)
            {
                return _actions.ToList();
            }
        }
    }

    /// <summary>Hardware actions other than provisioning (numVfs, resources, driver) — what a migration may cause.</summary>
    public IReadOnlyList<string> MigrationActions => Actions.Where(a => !a.StartsWith("Provision", StringComparison.Ordinal)).ToList();

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    public FakeVf Vf(string address)
    {
        lock (_lock)
        {
            return _pfs.Values.SelectMany(p => p.Vfs.Values).Single(v => v.Address == address);
        }
    }

    /// <summary>How often an operation id was performed with effect (the contract says at most once).</summary>
    public int ExecutionsOf(string operationId)
    {
        lock (_lock)
        {
            return _executions.GetValueOrDefault(operationId);
        }
    }

    public IReadOnlyDictionary<string, int> Executions
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, int>(_executions);
            }
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncOnceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // 409s, injected faults: the next pass re-reads and tries again, as a real agent would.
            }

            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        var key = NamespacedName.Cluster(NodeName);
        var node = await _nodes.TryGetAsync(key, cancellationToken);
        if (node is null)
        {
            await _nodes.CreateAsync(new V1Alpha1NvmeNode { Metadata = new V1ObjectMeta { Name = NodeName } }, cancellationToken);
            return;
        }

        ApplySpec(node.Spec);
        await RunOperationsAsync(node.Spec, cancellationToken);
        var status = BuildStatus(node);
        var json = KubernetesJson.Serialize(status);
        if (json == _lastStatusJson && DateTime.UtcNow - _lastWrite < TimeSpan.FromSeconds(2))
        {
            return;
        }

        status.HeartbeatTime = DateTime.UtcNow;
        node.Status = status;
        await _nodes.ReplaceStatusAsync(node, cancellationToken);
        _lastStatusJson = json;
        _lastWrite = DateTime.UtcNow;
    }

    /// <summary>Stops the agent (as if it died); safe to call again (the cluster disposes every agent at the end).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _client.Dispose();
        _stop.Dispose();
    }
}

using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>Every version of one NvmeNode's status the API server stored, in order (an informer's view, as a watcher sees them).</summary>
internal sealed class StatusHistory : IResourceEventHandler<V1Alpha1NvmeNode>, IAsyncDisposable
{
    private readonly List<V1Alpha1NvmeNode.EntityStatus> _versions = [];
    private readonly Informer<V1Alpha1NvmeNode> _informer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private StatusHistory(ResourceClient<V1Alpha1NvmeNode> nodes, string node)
    {
        _informer = new Informer<V1Alpha1NvmeNode>(nodes, new InformerOptions { FieldSelector = "metadata.name=" + node });
        _informer.AddHandler(this);
        _run = Task.Run(() => _informer.RunAsync(_stop.Token));
    }

    public static async Task<StatusHistory> StartAsync(ResourceClient<V1Alpha1NvmeNode> nodes, string node)
    {
        var history = new StatusHistory(nodes, node);
        await history._informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return history;
    }

    public IReadOnlyList<V1Alpha1NvmeNode.EntityStatus> Versions
    {
        get
        {
            lock (_versions)
            {
                return [.. _versions];
            }
        }
    }

    public void OnAdd(V1Alpha1NvmeNode obj) => Record(obj);

    public void OnUpdate(V1Alpha1NvmeNode oldObj, V1Alpha1NvmeNode newObj) => Record(newObj);

    public void OnDelete(V1Alpha1NvmeNode obj)
    {
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private void Record(V1Alpha1NvmeNode node)
    {
        if (node.Status is { } status)
        {
            lock (_versions)
            {
                if (_versions.Count == 0 || !ReferenceEquals(_versions[^1], status))
                {
                    _versions.Add(status);
                }
            }
        }
    }
}

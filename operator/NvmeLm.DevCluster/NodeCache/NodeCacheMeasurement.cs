using System.Net.Http.Headers;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Metrics;

namespace NvmeLm.DevCluster.NodeCache;

/// <summary>
/// What caching N Nodes costs the operator, whole (<c>Informer&lt;V1Node&gt;</c>, as before) or metadata-only
/// (<c>Informer&lt;PartialObjectMetadata&gt;</c>, as now): the managed memory that a full GC finds in use after the
/// informer's initial list minus before it, with the informer kept alive, and the bytes of the list response. One form
/// per process, so one measurement's garbage cannot land in the other's figures.
/// </summary>
public static class NodeCacheMeasurement
{
    public const string WholeForm = "whole";
    public const string MetadataForm = "metadata";

    public static async Task<NodeCacheFigures> RunAsync(string form, int nodes, int images, CancellationToken cancellationToken)
    {
        await using var server = await EmbeddedApiServer.StartAsync(cancellationToken: cancellationToken);
        using var kubernetes = server.CreateClient();
        var client = new ResourceClient<V1Node>(kubernetes);
        for (int i = 0; i < nodes; i++)
        {
            await client.CreateAsync(RealisticNode.Create(i, images), cancellationToken).ConfigureAwait(false);
        }

        long retained = form == WholeForm
            ? await RetainedAsync(client, nodes, cancellationToken).ConfigureAwait(false)
            : await RetainedAsync(new ResourceClient<PartialObjectMetadata>(kubernetes, ResourceType.Of<V1Node>()), nodes, cancellationToken).ConfigureAwait(false);
        long listBytes = await ListBytesAsync(server, form == WholeForm ? "application/json" : PartialObjectMetadata.ListMediaType, cancellationToken)
            .ConfigureAwait(false);
        return new NodeCacheFigures(form, nodes, images, retained, listBytes);
    }

    private static async Task<long> RetainedAsync<T>(ResourceClient<T> client, int expected, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var informer = new Informer<T>(client, new InformerOptions(), metrics: new KubeMetrics(Prometheus.Metrics.NewCustomRegistry()));
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            Task run = informer.RunAsync(stop.Token);
            await informer.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
        }

        if (informer.Cache.List().Count != expected)
        {
            throw new InvalidOperationException($"the informer cached {informer.Cache.List().Count} Nodes, not {expected}");
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(informer);
        return after - before;
    }

    private static async Task<long> ListBytesAsync(EmbeddedApiServer server, string accept, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "admin");
        http.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        byte[] body = await http.GetByteArrayAsync(new Uri("api/v1/nodes", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return body.Length;
    }
}

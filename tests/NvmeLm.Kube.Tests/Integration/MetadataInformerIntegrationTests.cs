using k8s.Models;
using NvmeLm.ApiServer;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Metrics;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests.Integration;

/// <summary>An informer of <see cref="PartialObjectMetadata"/>: Nodes cached for their names and labels only.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class MetadataInformerIntegrationTests
{
    [Fact]
    public async Task Informer_Should_CacheOnlyMetadataAndFollowLabelChanges_When_WatchingNodesAsPartialObjectMetadata()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var nodes = new ResourceClient<V1Node>(kubernetes);
        await nodes.CreateAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["pool"] = "a" } },
            Status = new V1NodeStatus { Images = [new V1ContainerImage { Names = ["registry.example/big:1"], SizeBytes = 1 << 30 }] },
        }, CancellationToken.None);
        var informer = new Informer<PartialObjectMetadata>(new ResourceClient<PartialObjectMetadata>(kubernetes, ResourceType.Of<V1Node>()),
            new InformerOptions(), metrics: new KubeMetrics(Prometheus.Metrics.NewCustomRegistry()));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
        var listed = informer.Cache.Get(NamespacedName.Cluster("n1"))!;
        // The server sent the metadata form (a whole Node would have come as kind Node, v1).
        Assert.Equal(("PartialObjectMetadata", "meta.k8s.io/v1", "a"), (listed.Kind, listed.ApiVersion, listed.Metadata.Labels["pool"]));

        var node = await nodes.GetAsync(NamespacedName.Cluster("n1"), CancellationToken.None);
        node.Metadata.Labels["pool"] = "b";
        await nodes.ReplaceAsync(node, CancellationToken.None);

        await Eventually.TrueAsync(() => informer.Cache.Get(NamespacedName.Cluster("n1"))?.Metadata.Labels["pool"] == "b", "the label change through the watch");
        Assert.Equal("PartialObjectMetadata", informer.Cache.Get(NamespacedName.Cluster("n1"))!.Kind);
        await stop.CancelAsync();
        await run;
    }
}

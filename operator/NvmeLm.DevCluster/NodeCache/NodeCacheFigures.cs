using System.Globalization;

namespace NvmeLm.DevCluster.NodeCache;

/// <summary>The result of <see cref="NodeCacheMeasurement"/>: retained managed bytes of the cache and the list-response bytes.</summary>
public sealed record NodeCacheFigures(string Form, int Nodes, int Images, long RetainedBytes, long ListBytes)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Form,-8} cache of {Nodes} Nodes ({Images} images each): {RetainedBytes / 1024.0 / 1024.0:0.0} MiB managed ({RetainedBytes / Nodes} B/node); list response {ListBytes / 1024.0 / 1024.0:0.00} MiB");
}

using System.Text.Json.Nodes;

namespace NvmeLm.DevCluster;

/// <summary>
/// The repository's CRDs (<c>crds/nvmelm.io_*.yaml</c>) and sample pool (<c>crds/samples/nvmevfpool.yaml</c>),
/// embedded at build time so the demo applies exactly what users apply, from any working directory.
/// </summary>
public static class ClusterManifests
{
    private const string CrdPrefix = "crds/";
    private const string SamplePoolResource = "samples/nvmevfpool.yaml";
    private const string KubeVirtCrdsResource = "kubevirt/kubevirt.io-crds.yaml";

    /// <summary>The CustomResourceDefinitions, one JSON object each.</summary>
    public static IReadOnlyList<JsonObject> Crds() =>
        typeof(ClusterManifests).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(CrdPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(n => YamlJson.ParseDocuments(Read(n)))
            .ToList();

    /// <summary>The sample NvmeVfPool (name <c>fast-local-nvme</c>; selects nodes labelled <c>nvmelm.io/pool=fast-local-nvme</c>).</summary>
    public static JsonObject SamplePool() => YamlJson.ParseDocuments(Read(SamplePoolResource)).Single();

    /// <summary>The KubeVirt VMI/VMIM CRD subset (<c>KubeVirt/kubevirt.io-crds.yaml</c>) the <c>--kubevirt</c> demo applies.</summary>
    public static IReadOnlyList<JsonObject> KubeVirtCrds() => YamlJson.ParseDocuments(Read(KubeVirtCrdsResource)).ToList();

    private static string Read(string name)
    {
        using var stream = typeof(ClusterManifests).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded manifest '{name}' is missing from {typeof(ClusterManifests).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

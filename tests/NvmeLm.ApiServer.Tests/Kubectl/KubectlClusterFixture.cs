using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>One server for the conformance tests, with the project's CRDs applied by kubectl (each test uses its own objects).</summary>
public sealed class KubectlClusterFixture : IAsyncLifetime
{
    public EmbeddedApiServer Server { get; private set; } = null!;

    public KubectlRunner Kubectl { get; private set; } = null!;

    public static string CrdDirectory => Path.Combine(RepositoryPaths.Root, "crds");

    public static string SampleDirectory => Path.Combine(RepositoryPaths.Root, "crds", "samples");

    public KubectlResult CrdApply { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { ControllerInterval = TimeSpan.FromMilliseconds(20) });
        Kubectl = new KubectlRunner(Server.KubeConfigPath);
        CrdApply = await Kubectl.RunAsync("apply", "-f", CrdDirectory);
    }

    public async Task DisposeAsync()
    {
        Kubectl.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Writes a manifest to a temp file for <c>kubectl apply -f</c> (the directory goes when the tests end).</summary>
    public static string Manifest(string yaml)
    {
        string path = Path.Combine(s_manifests.Value.FullName, $"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static readonly Lazy<DirectoryInfo> s_manifests = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("nvmelm-manifests-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => directory.Delete(recursive: true);
        return directory;
    });
}

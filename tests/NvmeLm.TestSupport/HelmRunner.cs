namespace NvmeLm.TestSupport;

/// <summary>
/// Runs one real helm binary (4 or 3) against one server's kubeconfig, with private helm config, cache
/// and data directories so no user or other test setting leaks in.
/// </summary>
public sealed class HelmRunner : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    private readonly string _helm;
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("nvmelm-helm-home-");
    private readonly Dictionary<string, string> _environment;

    public HelmRunner(string helm, string kubeConfig)
    {
        _helm = helm;
        _environment = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeConfig,
            ["HELM_CONFIG_HOME"] = Path.Combine(_home.FullName, "config"),
            ["HELM_CACHE_HOME"] = Path.Combine(_home.FullName, "cache"),
            ["HELM_DATA_HOME"] = Path.Combine(_home.FullName, "data"),
        };
    }

    /// <summary>"helm4" or "helm3": the binaries <see cref="KubeTools"/> fetches.</summary>
    public static string PathOf(string name) => name switch
    {
        "helm4" => KubeTools.HelmPath,
        "helm3" => KubeTools.Helm3Path,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "helm4 or helm3"),
    };

    public async Task<ProcessResult> RunAsync(params string[] args) =>
        await ProcessRunner.RunAsync(_helm, args, s_timeout, environment: _environment);

    public void Dispose() => _home.Delete(recursive: true);
}
